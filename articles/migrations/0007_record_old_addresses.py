"""Record the addresses links were made with before addresses became permanent.

Until now an article's address was its position (``/2020/10/23/3/2/``) and a page's its
date and number (``/2020/10/23/3/``); links made then keep leading to the article or
page they meant, whatever later moves to that position.
"""

from django.db import migrations

BATCH = 5000


def record(apps, schema_editor):
    Address = apps.get_model("articles", "Address")
    Article = apps.get_model("articles", "Article")
    Page = apps.get_model("articles", "Page")
    alias = schema_editor.connection.alias

    def dated(date, number, position=None):
        path = f"/{date:%Y/%m/%d}/{number}/"
        return f"{path}{position}/" if position is not None else path

    pages = Page.objects.using(alias).values_list("pk", "issue__date", "number").iterator(chunk_size=BATCH)
    rows = [Address(path=dated(d, n), page_id=pk) for pk, d, n in pages]
    Address.objects.using(alias).bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    articles = Article.objects.using(alias).values_list("pk", "page__issue__date", "page__number", "position")
    batch = []
    for pk, d, n, position in articles.iterator(chunk_size=BATCH):
        batch.append(Address(path=dated(d, n, position), article_id=pk))
        if len(batch) >= BATCH:
            Address.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    Address.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_address")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
