"""In-memory multipart/form-data parsing for the simulator (firmware images stay off the disk)."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header


@dataclass(slots=True)
class Part:
    """One form part: its name, file name (if any), content type and bytes."""

    name: str = ""
    filename: str | None = None
    content_type: str = ""
    chunks: list[memoryview] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        """The part's bytes (joined once)."""
        return b"".join(self.chunks)


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart/form-data body; ValueError when it has no boundary or is malformed."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise ValueError("multipart body without boundary")
    parts: list[Part] = []
    header = {"field": b"", "value": b""}
    headers: dict[bytes, bytes] = {}

    def on_part_begin() -> None:
        parts.append(Part())
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        headers[header["field"].lower()] = header["value"]
        header["field"], header["value"] = b"", b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        part = parts[-1]
        part.name = disposition.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = disposition.get(b"filename")
        part.filename = raw_filename.decode("utf-8", "replace") if raw_filename is not None else None
        part.content_type = headers.get(b"content-type", b"").decode("latin-1")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        # Views into the immutable body: the part is copied once, when joined.
        parts[-1].chunks.append(memoryview(data)[start:end])

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
    })
    parser.write(body)
    parser.finalize()
    return parts
