"""Photo uploads: only real JPEG/PNG/WebP images under the size limit; thumbnails made with Pillow."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import MAX_PIXELS, THUMBNAIL_SIZE, refresh_thumbnail, validate_photo_upload

from .factories import PhotoFactory


def image_bytes(fmt="JPEG", size=(1200, 800), mode="RGB", color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted(fmt):
    f = upload(f"photo.{fmt.lower()}", image_bytes(fmt))
    assert validate_photo_upload(f) == fmt
    assert f.read(4)  # rewound, ready to be saved


def test_the_content_decides_not_the_name():
    png_named_jpg = upload("photo.jpg", image_bytes("PNG"))
    assert validate_photo_upload(png_named_jpg) == "PNG"


def test_text_renamed_to_jpg_is_refused_with_a_message():
    fake = upload("假图片.jpg", "这不是图片，只是改了扩展名的文字。".encode())
    with pytest.raises(ValidationError) as exc:
        validate_photo_upload(fake)
    assert "“假图片.jpg”不是有效的图片文件" in exc.value.messages[0]


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG")
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        validate_photo_upload(upload("cut.jpg", data[: len(data) // 3]))


def test_other_image_formats_are_refused_by_name():
    gif = upload("anim.gif", image_bytes("GIF", mode="P", color=1), "image/gif")
    with pytest.raises(ValidationError) as exc:
        validate_photo_upload(gif)
    assert "GIF 格式" in exc.value.messages[0]


def test_files_over_the_size_limit_are_refused(settings):
    data = image_bytes("PNG")
    settings.NEWSROOM_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as exc:
        validate_photo_upload(upload("big.png", data))
    assert "超过了" in exc.value.messages[0]
    settings.NEWSROOM_PHOTO_MAX_BYTES = len(data)
    assert validate_photo_upload(upload("big.png", data)) == "PNG"


def test_images_with_too_many_pixels_are_refused():
    side = int(MAX_PIXELS**0.5) + 10  # a tiny file that would decompress to a huge bitmap
    data = image_bytes("PNG", size=(side, side), mode="1", color=0)
    with pytest.raises(ValidationError, match="像素"):
        validate_photo_upload(upload("bomb.png", data))


@pytest.mark.django_db
def test_thumbnail_is_a_small_jpeg_with_the_photo_proportions():
    photo = PhotoFactory()
    photo.image.save(
        "portrait.png", io.BytesIO(image_bytes("PNG", size=(600, 1200), mode="RGBA")), save=False
    )
    refresh_thumbnail(photo)
    photo.save()
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (THUMBNAIL_SIZE[1] // 2, THUMBNAIL_SIZE[1])
    assert photo.thumbnail.name.endswith("portrait_thumb.jpg")


@pytest.mark.django_db
def test_a_photo_without_an_image_has_no_thumbnail():
    photo = PhotoFactory(thumbnail="photos/thumbs/old.jpg")
    refresh_thumbnail(photo)
    assert not photo.thumbnail
