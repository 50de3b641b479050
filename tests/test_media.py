"""Uploaded files and photo renditions: readers get resized JPEG/WebP renditions of the
photos they may see, and no file of a photo they may not see, in any mode."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import refresh_dimensions, refresh_thumbnail
from articles.models import Article

from . import factories


def jpeg(size=(2400, 1600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, "JPEG", quality=95)
    return out.getvalue()


def photo_with_image(article, size=(2400, 1600), **kwargs):
    photo = factories.PhotoFactory.build(page=article.page, article=article, **kwargs)
    photo.image = SimpleUploadedFile("检修现场.jpg", jpeg(size), content_type="image/jpeg")
    refresh_dimensions(photo)
    refresh_thumbnail(photo)
    photo.save()
    return photo


@pytest.fixture
def photo(article):
    return photo_with_image(article, title="为劳动者留影")


@pytest.fixture
def draft_photo(draft_article):
    return photo_with_image(draft_article, title="草稿的图片")


def srcsets(html: str) -> dict[str, list[tuple[str, int]]]:
    found = {}
    for kind, value in re.findall(r'<(source type="image/webp"|img) [^>]*?srcset="([^"]+)"', html):
        entries = [(u, int(w[:-1])) for u, w in (part.split() for part in value.split(", "))]
        found["webp" if "webp" in kind else "jpeg"] = entries
    return found


def test_article_page_offers_renditions_in_several_widths_jpeg_and_webp(client, photo):
    html = client.get(photo.article.get_absolute_url()).content.decode()
    sets = srcsets(html)
    assert [w for _, w in sets["jpeg"]] == [480, 960, 1600]
    assert [w for _, w in sets["webp"]] == [480, 960, 1600]
    img = re.search(r"<img [^>]*>", html[html.index("<picture>") :]).group(0)
    assert 'width="960" height="640"' in img and 'loading="lazy"' in img and "sizes=" in img
    assert photo.image.url not in html  # never the original upload
    for url, width in sets["jpeg"] + sets["webp"]:
        response = client.get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content)
        with Image.open(io.BytesIO(data)) as img:
            assert img.width == width
            assert img.format == ("WEBP" if url.endswith(".webp") else "JPEG")
        assert len(data) < len(jpeg()) / 2
        assert "max-age=31536000" in response["Cache-Control"] and "public" in response["Cache-Control"]


def test_a_small_photo_is_never_enlarged(client, article):
    small = photo_with_image(article, size=(700, 500))
    sets = srcsets(client.get(article.get_absolute_url()).content.decode())
    assert [w for _, w in sets["jpeg"]] == [480, 700]
    assert small.rendition_960.width == 700


def test_renditions_are_made_once_and_kept(client, photo, settings):
    url = photo.article.get_absolute_url()
    first = srcsets(client.get(url).content.decode())["jpeg"]
    files = sorted((settings.MEDIA_ROOT / "photos" / "renditions" / str(photo.pk)).iterdir())
    assert len(files) == 6  # made when the image was saved
    stamps = [f.stat().st_mtime_ns for f in files]
    photo.caption = "只改了说明"
    photo.save()
    Article.objects.filter(pk=photo.article.pk).update(title="换个标题让页面重新生成")
    assert srcsets(client.get(url).content.decode())["jpeg"] == first
    assert [f.stat().st_mtime_ns for f in files] == stamps


def test_a_missing_rendition_is_made_when_a_page_needs_it(client, photo, settings):
    folder = settings.MEDIA_ROOT / "photos" / "renditions" / str(photo.pk)
    for f in folder.iterdir():
        f.unlink()
    from django.core.cache import caches

    caches["pages"].clear()  # imagekit remembers which files exist
    for url, _ in srcsets(client.get(photo.article.get_absolute_url()).content.decode())["jpeg"]:
        assert client.get(url).status_code == 200


def test_og_image_and_json_ld_use_a_rendition(client, photo):
    html = client.get(photo.article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith("http://testserver/media/photos/renditions/") and og.endswith(".jpg")
    assert f'"image": ["{og}"]' in html or f'"image":["{og}"]' in html.replace(" ", "")


def test_home_loads_the_first_photo_at_once_and_the_rest_lazily(client, photo, article):
    photo_with_image(article, title="第二张")
    html = client.get("/").content.decode()
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 2
    assert "loading=" not in imgs[0] and 'fetchpriority="high"' in imgs[0]
    assert 'loading="lazy"' in imgs[1]


def test_files_of_a_draft_photo_are_404_for_readers_and_served_to_staff(client, draft_photo, editor):
    rendition = draft_photo.rendition_480.url
    urls = [draft_photo.image.url, draft_photo.thumbnail.url, rendition]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(editor)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_files_of_a_published_photo_are_served_to_readers(client, photo):
    for url in (photo.image.url, photo.thumbnail.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]


def test_unpublishing_hides_the_files_again(client, photo):
    url = photo.rendition_960.url
    assert client.get(url).status_code == 200
    Article.objects.filter(pk=photo.article.pk).unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/media/photos/nothing.jpg", "/media/../manage.py", "/media/photos/renditions/9999/x.jpg", "/media/x"],
)
def test_other_media_paths_are_404(client, photo, path):
    assert client.get(path).status_code == 404


def test_a_guessable_path_of_a_draft_photo_file_is_404_even_if_the_file_exists(client, draft_photo, settings):
    path = draft_photo.image.name
    assert (settings.MEDIA_ROOT / path).exists()
    assert client.get(f"/media/{path}").status_code == 404
