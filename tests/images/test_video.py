"""Videos: frames sampled at an interval and at cuts, hashed into the same list as pictures, matched both ways."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from tests.images.pictures import encode, jpeg, photo
from tumar.images import HashOptions, ScanLimits, Skipped, hash_media, iter_matches
from tumar.images.video import sample_frames

FPS = 10
SIZE = (320, 240)


def _encoder() -> str:
    for name in ("libx264", "mpeg4", "mjpeg"):
        try:
            av.codec.Codec(name, "w")
        except Exception:
            continue
        return name
    pytest.skip("no video encoder in this PyAV build")


def make_video(scenes: list[tuple[Image.Image, float]]) -> bytes:
    """An MP4 showing each picture for its number of seconds, with a little grain so frames differ."""
    codec = _encoder()
    buffer = io.BytesIO()
    rng = np.random.default_rng(0)
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream(codec, rate=FPS)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
        for picture, seconds in scenes:
            base = np.asarray(picture.convert("RGB").resize(SIZE), dtype=np.int16)
            for _ in range(round(seconds * FPS)):
                grain = rng.integers(-2, 3, base.shape)
                frame = av.VideoFrame.from_ndarray(
                    (base + grain).clip(0, 255).astype(np.uint8), format="rgb24"
                )
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def video() -> bytes:
    return make_video([(photo(10), 2.5), (photo(11), 2.0)])


def test_frames_are_sampled_at_the_interval_and_at_the_cut(video: bytes) -> None:
    frames = list(sample_frames(video, source="clip.mp4", interval=1.0))
    got = [(f.reason, round(f.time, 1)) for f in frames]
    assert got == [("first", 0.0), ("interval", 1.0), ("interval", 2.0), ("scene", 2.5), ("interval", 3.5)]
    assert frames[0].luma.shape == (SIZE[1], SIZE[0])


def test_video_hashes_go_into_the_list_and_a_still_matches_them(video: bytes, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "VID_0308.mp4").write_bytes(video)
    result = hash_media([mine], HashOptions(names=True))
    entries = result.hashlist.entries
    assert {e.kind for e in entries} == {"video_frame"}
    assert {e.name for e in entries} == {"VID_0308.mp4"}
    assert [round(e.time or 0, 1) for e in entries] == [0.0, 2.5]  # frames within a still scene are kept once
    assert result.sources[0].kind == "video"
    screenshot = tmp_path / "found" / "frame.jpg"
    screenshot.parent.mkdir()
    screenshot.write_bytes(encode(jpeg(photo(11).resize((640, 480)), 60)))
    (found,) = iter_matches(result.hashlist, [screenshot.parent])
    assert (found.source, found.entry_kind, found.entry_time) == ("s1", "video_frame", 2.5)
    assert found.distance <= 31


def test_a_leaked_video_matches_her_pictures(video: bytes, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for n, seed in enumerate((10, 11, 12), 1):
        (mine / f"IMG_{n}.jpg").write_bytes(encode(photo(seed), quality=95))
    hashlist = hash_media([mine]).hashlist
    channel = tmp_path / "channel"
    (channel / "video_files").mkdir(parents=True)
    (channel / "video_files" / "clip.mp4").write_bytes(video)
    found = sorted(iter_matches(hashlist, [channel]), key=lambda m: m.source)
    assert [(m.source, m.kind) for m in found] == [("s1", "video"), ("s2", "video")]
    first, second = (m.time or 0.0 for m in found)
    assert first < 2.5 <= second  # the closest frame of each scene is reported


def test_truncated_video_keeps_what_was_read_or_is_skipped(video: bytes, tmp_path: Path) -> None:
    (tmp_path / "cut.mp4").write_bytes(video[: len(video) // 2])
    skipped: list[Skipped] = []
    hashlist = hash_media([_one(tmp_path, photo(10))]).hashlist
    assert list(iter_matches(hashlist, [tmp_path / "cut.mp4"], on_skip=skipped.append)) == []
    assert len(skipped) == 1 and "not a readable video" in skipped[0].reason


def _one(folder: Path, picture: Image.Image) -> Path:
    path = folder / "mine.jpg"
    path.write_bytes(encode(picture, quality=95))
    return path


def test_a_video_over_the_frame_limit_is_kept_as_far_as_it_was_read(video: bytes, tmp_path: Path) -> None:
    (tmp_path / "long.mp4").write_bytes(video)
    limits = ScanLimits(max_video_frames=20)  # 2 of the 4.5 seconds: the cut at 2.5 s is never reached
    result = hash_media([tmp_path / "long.mp4"], HashOptions(limits=limits))
    assert [round(e.time or 0, 1) for e in result.hashlist.entries] == [0.0]
    assert "only partly read: video read only up to frame 20" in result.sources[0].note
    skipped: list[Skipped] = []
    hashlist = hash_media([_one(tmp_path, photo(10))]).hashlist
    found = list(iter_matches(hashlist, [tmp_path / "long.mp4"], limits=limits, on_skip=skipped.append))
    assert [m.source for m in found] == ["s1"]
    assert len(skipped) == 1 and skipped[0].reason.startswith("only partly read")


def test_a_video_inside_a_zip_is_read_from_memory(video: bytes, tmp_path: Path) -> None:
    import zipfile

    hashlist = hash_media([_one(tmp_path, photo(11))]).hashlist
    with zipfile.ZipFile(tmp_path / "channel.zip", "w") as z:
        z.writestr("video_files/clip.mp4", video)
    (found,) = iter_matches(hashlist, [tmp_path / "channel.zip"])
    assert found.file.endswith("channel.zip!video_files/clip.mp4") and found.kind == "video"
    assert found.read_bytes() == video
