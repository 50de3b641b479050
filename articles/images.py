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


# ---------------------------------------------------------------- renditions for readers
#
# Readers never get the original upload: django-imagekit makes resized, recompressed
# renditions (RENDITION_WIDTHS, JPEG and WebP) when a photo's image is saved, and makes a
# missing one the first time a page needs it; each is kept under a content-hashed name in
# photos/renditions/<photo id>/ (served by articles.media, which checks visibility).

RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = {"jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
                     "webp": ("WEBP", {"quality": 80, "method": 4})}  # fmt: skip


def rendition_processors(width: int, fmt: str) -> list:
    from pilkit.processors import MakeOpaque, ResizeToFit, Transpose

    steps = [Transpose(), ResizeToFit(width=width, upscale=False)]
    return [*steps, MakeOpaque()] if fmt == "JPEG" else steps


def rendition_name(generator) -> str:
    """``photos/renditions/<photo id>/<stem>-<width>-<hash>.<ext>`` (the id lets
    articles.media check the photo's visibility; the hash changes with the image)."""
    photo = generator.source.instance
    stem = PurePath(generator.source.name).stem[:40] or "photo"
    width = next(p.width for p in generator.processors if hasattr(p, "width"))
    ext = "webp" if generator.format == "WEBP" else "jpg"
    return f"photos/renditions/{photo.pk}/{stem}-{width}-{generator.get_hash()[:12]}.{ext}"


class GenerateOnSaveAndWhenMissing:
    """imagekit strategy: make renditions when the image is saved, and any missing one
    (a photo from before renditions, a deleted file) the first time it is needed."""

    def on_source_saved(self, file):
        file.generate()

    def on_existence_required(self, file):
        file.generate()

    def on_content_required(self, file):
        file.generate()


def rendition_field(width: int, kind: str):
    from imagekit.models import ImageSpecField

    fmt, options = RENDITION_FORMATS[kind]
    return ImageSpecField(
        source="image",
        processors=rendition_processors(width, fmt),
        format=fmt,
        options=options,
        cachefile_strategy="articles.images.GenerateOnSaveAndWhenMissing",
    )


def refresh_dimensions(photo) -> None:
    """Store the image's width and height (after EXIF rotation) on ``photo``."""
    photo.width = photo.height = None
    if not photo.image:
        return
    photo.image.open("rb")
    try:
        with Image.open(photo.image) as img:
            width, height = img.size
            if (img.getexif() or {}).get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
                width, height = height, width
    finally:
        photo.image.seek(0)
    photo.width, photo.height = width, height


def renditions(photo) -> dict | None:
    """What a page needs to show ``photo``: ``src``, ``width``, ``height`` (of the default
    rendition) and ``srcset`` / ``webp_srcset`` strings; None without an image.

    Only widths below the original's are offered, plus one at the original's width (a
    rendition is never enlarged).
    """
    if not photo.image or not photo.width or not photo.height:
        return None
    # A reader page's photo row (articles.rows.ShownPhoto): the renditions are its instance's.
    photo = getattr(photo, "instance", photo)
    original = photo.width
    widths = [w for w in RENDITION_WIDTHS if w < original]
    if len(widths) < len(RENDITION_WIDTHS):
        widths.append(next(w for w in RENDITION_WIDTHS if w >= original))
    shown = {w: min(w, original) for w in widths}
    jpeg = [(getattr(photo, f"rendition_{w}").url, shown[w]) for w in widths]
    webp = [(getattr(photo, f"rendition_{w}_webp").url, shown[w]) for w in widths]
    default = min(len(widths) - 1, 1)  # 960 wide where there is one
    width = shown[widths[default]]
    return {
        "src": jpeg[default][0],
        "width": width,
        "height": max(1, round(photo.height * width / original)),
        "srcset": ", ".join(f"{url} {w}w" for url, w in jpeg),
        "webp_srcset": ", ".join(f"{url} {w}w" for url, w in webp),
        "largest": jpeg[-1][0],
    }
