"""Photo uploads: what the admin accepts, and the thumbnails it makes.

An upload is accepted only if Pillow can read it as a JPEG, PNG or WebP image
(the file's content decides, never its name), it is at most
``settings.NEWSROOM_PHOTO_MAX_BYTES`` bytes and at most :data:`MAX_PIXELS` pixels.
Thumbnails are JPEGs at most :data:`THUMBNAIL_SIZE` pixels, made with Pillow.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # Pillow format -> file extension
MAX_PIXELS = 40_000_000  # 40 megapixels: far above any news photo, far below a decompression bomb
THUMBNAIL_SIZE = (480, 480)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def validate_photo_upload(upload) -> str:
    """Check an uploaded file is a real, reasonably sized JPEG/PNG/WebP image.

    Returns the Pillow format name; raises ``ValidationError`` with a message for
    the editor. The file is rewound afterwards so it can still be saved.
    """
    name = getattr(upload, "name", "") or "上传的文件"
    limit = settings.NEWSROOM_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            "“%(name)s”有 %(size)s，超过了 %(limit)s 的上限，请压缩后再上传。",
            code="too_large",
            params={"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as img:
                fmt = img.format
                width, height = img.size
                if fmt in ALLOWED_FORMATS and width * height <= MAX_PIXELS:
                    img.verify()  # structure and checksums
            if fmt in ALLOWED_FORMATS and width * height <= MAX_PIXELS:
                upload.seek(0)
                with Image.open(upload) as img:
                    img.load()  # every pixel decodes: a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "“%(name)s”的像素过多，不像是新闻图片，已拒收。", code="too_many_pixels", params={"name": name}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "“%(name)s”不是有效的图片文件（只接受 JPEG、PNG、WebP 图片）。",
            code="not_an_image",
            params={"name": name},
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            "“%(name)s”是 %(format)s 格式，只接受 JPEG、PNG、WebP 图片。",
            code="bad_format",
            params={"name": name, "format": fmt or "未知"},
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            "“%(name)s”有 %(w)s×%(h)s 像素，超过了 %(max)s 万像素的上限。",
            code="too_many_pixels",
            params={"name": name, "w": width, "h": height, "max": MAX_PIXELS // 10_000},
        )
    return fmt


def thumbnail_bytes(fileobj, size: tuple[int, int] = THUMBNAIL_SIZE) -> bytes:
    """A JPEG thumbnail of an image file (EXIF rotation applied, transparency on white)."""
    fileobj.seek(0)
    with Image.open(fileobj) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail(size)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            background = Image.new("RGB", img.size, "white")
            background.paste(img, mask=img.getchannel("A"))
            img = background
        elif img.mode != "RGB":
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, "JPEG", quality=85, optimize=True)
    fileobj.seek(0)
    return out.getvalue()


def refresh_thumbnail(photo) -> None:
    """Make (or clear) ``photo.thumbnail`` from ``photo.image``; the caller saves the photo."""
    if not photo.image:
        photo.thumbnail = None
        return
    stem = PurePath(photo.image.name).stem or "photo"
    photo.image.open("rb")
    data = thumbnail_bytes(photo.image)
    photo.thumbnail.save(f"{stem}_thumb.jpg", ContentFile(data), save=False)
