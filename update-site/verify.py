#!/usr/bin/python3
"""Verify a Fiji update site folder without trusting whoever built it, and optionally install it.

    verify.py SITE [--install FIJI_DIR --platform linux64] [--platforms linux64,win64,...]

Reads SITE/db.xml.gz and, for every file it lists, checks that SITE/<filename>-<timestamp> exists,
has the listed size, and has the listed checksum, recomputed here from the ImageJ updater's rules
(an implementation separate from the Java builder's). Also checks the layout Fiji relies on: no
stray files on the site, each jars/<platform>/ file tagged with that platform, no platform-neutral
jar carrying DJL natives, one version per jar name and platform, every model with its card and the
SHA-256 the card states, and (--platforms) a natives jar for every platform asked for.

--install copies what the updater would install on PLATFORM (files for every platform and files
for PLATFORM; with --platform all, every file, as a Fiji that uploads the site needs them) to
FIJI_DIR/<filename>, checking size and checksum of each installed copy as the updater does after a
download. Exit status 0 when everything holds, 1 otherwise.

Standard library only (gzip, xml.etree, zipfile, hashlib).
"""

import argparse
import gzip
import hashlib
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

DB = "db.xml.gz"
MANIFEST = "META-INF/MANIFEST.MF"
NATIVES_MARKER = "native/lib/pytorch.properties"
UTF8_FLAG = 0x800


def strip_comments(data: bytes) -> bytes:
    """The updater's .properties filter, written line by line.

    A line is "at line start" when the previous line left the updater's flag set. Such a line that
    begins with '#' is replaced by its newline (nothing if it has none), and leaves the flag set only
    if something other than '#' precedes the newline. Any other line is kept as is; it leaves the
    flag set when it ends with a newline, except an empty line read at line start, which clears it.
    """
    out = bytearray()
    at_start = True
    # only \n ends a line for the updater (bytes.splitlines would also split at \r)
    for line in re.findall(rb"[^\n]*\n|[^\n]+\Z", data):
        ends = line.endswith(b"\n")
        if at_start and line.startswith(b"#"):
            if ends:
                out += b"\n"
                at_start = len(line[:-1].lstrip(b"#")) > 0
            else:
                at_start = False
        elif at_start:
            out += line
            at_start = ends and len(line) > 1
        else:
            out += line
            at_start = ends
    return bytes(out)


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry name as Java's ZipFile reads it (UTF-8 even without the zip's UTF-8 flag)."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    return info.filename.encode("cp437").decode("utf-8", "replace")


def jar_checksum(path: Path) -> str:
    sha1 = hashlib.sha1()
    with zipfile.ZipFile(path) as jar:
        entries = sorted(jar.infolist(), key=entry_name)
        for info in entries:
            name = entry_name(info)
            sha1.update(name.encode("ascii", "replace"))
            if name == MANIFEST:
                continue  # its filter keeps nothing (see UpdaterChecksum's comment)
            with jar.open(info) as f:
                if name.endswith(".properties"):
                    sha1.update(strip_comments(f.read()))
                else:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        sha1.update(block)
    return sha1.hexdigest()


def plain_checksum(fiji_path: str, path: Path) -> str:
    sha1 = hashlib.sha1(fiji_path.encode("ascii"))
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha1.update(block)
    return sha1.hexdigest()


def updater_checksum(fiji_path: str, path: Path) -> str:
    return jar_checksum(path) if fiji_path.endswith(".jar") else plain_checksum(fiji_path, path)


def read_db(site: Path):
    root = ET.fromstring(gzip.decompress((site / DB).read_bytes()))
    if root.tag != "pluginRecords":
        raise ValueError(f"{DB}: root element is <{root.tag}>, not <pluginRecords>")
    files = []
    for plugin in root.findall("plugin"):
        version = plugin.find("version")
        if version is None:
            continue  # an obsolete file: nothing to download
        files.append({
            "filename": plugin.get("filename"),
            "platforms": [p.text.strip() for p in plugin.findall("platform")],
            "checksum": version.get("checksum"),
            "timestamp": version.get("timestamp"),
            "filesize": int(version.get("filesize")),
            "dependencies": [d.get("filename") for d in version.findall("dependency")],
        })
    return files


def unversioned(filename: str) -> str:
    """jars/pytorch-jni-2.7.1-0.36.0.jar -> jars/pytorch-jni.jar (enough for our own names)."""
    return re.sub(r"-\d[^/]*?(?=(-(linux|osx|win)-[a-z0-9_]+)?\.jar$)", "", filename)


def check_site(site: Path, want_platforms):
    problems = []
    files = read_db(site)
    listed = {DB}
    names = {}
    for f in files:
        name, ts = f["filename"], f["timestamp"]
        if not re.fullmatch(r"\d{14}", ts or ""):
            problems.append(f"{name}: timestamp {ts!r} is not yyyyMMddHHmmss")
            continue
        if not re.fullmatch(r"[0-9a-f]{40}", f["checksum"] or ""):
            problems.append(f"{name}: checksum {f['checksum']!r} is not a SHA-1")
        stored = site / f"{name}-{ts}"
        listed.add(f"{name}-{ts}")
        if not stored.is_file():
            problems.append(f"{name}: {stored.relative_to(site)} missing on the site")
            continue
        size = stored.stat().st_size
        if size != f["filesize"]:
            problems.append(f"{name}: {size} bytes, db.xml.gz says {f['filesize']}")
        actual = updater_checksum(name, stored)
        if actual != f["checksum"]:
            problems.append(f"{name}: checksum {actual}, db.xml.gz says {f['checksum']}")
        parts = name.split("/")
        if len(parts) == 3 and parts[0] == "jars" and f["platforms"] != [parts[1]]:
            problems.append(f"{name}: lies in jars/{parts[1]}/ but is tagged for {f['platforms']}")
        if name.endswith(".jar") and not f["platforms"]:
            with zipfile.ZipFile(stored) as jar:
                if NATIVES_MARKER in jar.namelist():
                    problems.append(f"{name}: natives without a platform would reach every Fiji, all on one class path")
        for platform in f["platforms"] or ["all"]:
            key = (unversioned(name), platform)
            if key in names:
                problems.append(f"{name}: second version of {key[0]} for {platform} (also {names[key]})")
            names[key] = name
        for dep in f["dependencies"]:
            if dep not in {g["filename"] for g in files}:
                problems.append(f"{name}: depends on {dep}, which the site does not list")
    for stored in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = stored.relative_to(site).as_posix()
        if rel not in listed:
            problems.append(f"{rel}: on the site but not in {DB}")
    by_name = {f["filename"]: f for f in files}
    for f in files:
        name = f["filename"]
        if name.startswith("models/") and name.endswith(".pt"):
            card_name = name[:-3] + ".json"
            if card_name not in by_name:
                problems.append(f"{name}: no model card {card_name}")
                continue
            card = json.loads((site / f"{card_name}-{by_name[card_name]['timestamp']}").read_text())
            digest = hashlib.sha256((site / f"{name}-{f['timestamp']}").read_bytes()).hexdigest()
            if card.get("sha256") != digest:
                problems.append(f"{name}: SHA-256 {digest}, its card says {card.get('sha256')}")
    have = {p for f in files if "pytorch-native-cpu" in f["filename"] for p in f["platforms"]}
    for platform in want_platforms:
        if platform not in have:
            problems.append(f"no PyTorch natives for {platform}")
    return files, problems


def install(site: Path, files, fiji: Path, platform: str):
    """What the updater does on PLATFORM: download, check size and checksum, put in place."""
    problems, installed = [], []
    for f in files:
        if f["platforms"] and platform != "all" and platform not in f["platforms"]:
            continue
        target = fiji / f["filename"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / f"{f['filename']}-{f['timestamp']}", target)
        if target.stat().st_size != f["filesize"]:
            problems.append(f"installed {f['filename']}: wrong size")
        elif updater_checksum(f["filename"], target) != f["checksum"]:
            problems.append(f"installed {f['filename']}: wrong checksum")
        installed.append(f["filename"])
    return installed, problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--install", type=Path, metavar="FIJI_DIR")
    parser.add_argument("--platform", default="linux64", help="platform to install for (default linux64; 'all' for every file)")
    parser.add_argument("--platforms", default="", help="comma-separated platforms that must have natives")
    args = parser.parse_args(argv)
    want = [p for p in args.platforms.split(",") if p]
    files, problems = check_site(args.site, want)
    total = sum(f["filesize"] for f in files) + (args.site / DB).stat().st_size
    if not problems and args.install:
        installed, problems = install(args.site, files, args.install, args.platform)
        for name in installed:
            print(f"installed {name}")
    for p in problems:
        print(f"FAIL {p}", file=sys.stderr)
    if problems:
        return 1
    platforms = sorted({p for f in files for p in f["platforms"]})
    print(f"verified {len(files)} files ({total} bytes, {total / 1e6:.1f} MB) of {args.site}; "
          f"platform-specific: {', '.join(platforms) or 'none'}"
          + (f"; installed for {args.platform} into {args.install}" if args.install else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
