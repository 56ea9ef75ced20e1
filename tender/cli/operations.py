"""The data commands of ``tender`` (see :mod:`tender.cli`): ``audit verify``, ``audit
rekey``, ``backup`` and ``restore``. Each builds the web app with :func:`tender.create_app`
(same database, same instance folder, same keys as the running app) and works inside its
context; nothing of the web stack is imported before one of them runs.

Messages are printed in Chinese and English, as the other commands do.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path

# The backup methods of tender.services.backup (PARTS), named here so that building the
# command line imports no web library; a test keeps the two lists equal.
BACKUP_METHODS = ("sqlite", "pg_dump", "logical")
EXIT_BROKEN = 1
EXIT_REFUSED = 2

REASONS_ZH = {
    "sequence gap": "序号不连续（记录被删除或插入）",
    "previous hash does not match": "前一条的哈希不符（记录被删除、插入或调换）",
    "record hashed without the audit key": "该记录的哈希不是用审计密钥算出的（普通 SHA-256，可被任何能写数据库的人重算）",
    "record content does not match its hash": "记录内容与其哈希不符（记录被改动，或审计密钥不对）",
    "former (pre-rekey) hash": "记录的旧哈希（重新加密钥之前的）与记录内容不符",
}


def add_commands(commands) -> None:
    audit_parser = commands.add_parser("audit", help="审计链 / the audit trail")
    audit_commands = audit_parser.add_subparsers(dest="audit_command", required=True)
    audit_parser.set_defaults(run=run)
    verify = audit_commands.add_parser(
        "verify", help="重算哈希链，指出第一条断开的记录 / recompute the hash chain, name the first broken record"
    )
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        action="append",
        default=[],
        help="先前打印的链头（回执、开标记录、报告）必须仍在链中 / a head hash printed earlier "
        "(receipt, opening record, report) that must still be in the chain",
    )
    verify.add_argument(
        "--receipt",
        type=Path,
        action="append",
        default=[],
        help="投标回执 JSON：其中的 audit_head 必须仍在链中 / a receipt JSON whose audit_head must be in the chain",
    )
    audit_commands.add_parser(
        "rekey",
        help="把升级前的普通 SHA-256 链改为用审计密钥（HMAC-SHA256）重算，旧链头仍可查 / convert a chain "
        "written before keying: check it, recompute every hash under the audit key (HMAC-SHA256), "
        "keep the former hashes so heads printed earlier are still found",
    )
    backup = commands.add_parser("backup", help="备份数据库 / back up the database (bids, files, audit trail)")
    backup.set_defaults(run=run)
    backup.add_argument("directory", type=Path, help="新的或空的目录 / a new or empty directory")
    backup.add_argument(
        "--include-key",
        action="store_true",
        help="把数据密钥和审计密钥也写进备份（默认不写：密钥与数据分开保管） / also write the data "
        "key and the audit key (by default they are left out: keep keys apart from data)",
    )
    backup.add_argument(
        "--method",
        choices=BACKUP_METHODS,
        help="默认：SQLite 用 sqlite，PostgreSQL 用 pg_dump / default: sqlite for SQLite, pg_dump for PostgreSQL",
    )
    restore = commands.add_parser("restore", help="把备份恢复到空数据库 / restore a backup into an empty database")
    restore.set_defaults(run=run)
    restore.add_argument("directory", type=Path)
    restore.add_argument(
        "--key-file",
        type=Path,
        help="先把这个数据密钥放进实例目录 / first install this data key into the instance folder",
    )
    restore.add_argument(
        "--audit-key-file",
        type=Path,
        help="先把这个审计密钥放进实例目录 / first install this audit key into the instance folder",
    )


def run(args: argparse.Namespace) -> int:
    if args.command == "restore":
        for key_file, filename, variable in (
            (args.key_file, "data.key", "TENDER_DATA_KEY"),
            (args.audit_key_file, "audit.key", "TENDER_AUDIT_KEY"),
        ):
            refused = _install_key(key_file, filename, variable) if key_file else 0
            if refused:
                return refused
    from tender import create_app

    app = create_app()
    with app.app_context():
        from tender.platform.extensions import db

        try:
            if args.command == "audit":
                return _audit_rekey() if args.audit_command == "rekey" else _audit_verify(args)
            if args.command == "backup":
                return _backup(args)
            return _restore(args)
        finally:
            db.session.remove()
            db.engine.dispose()


def _say(zh: str, en: str, err: bool = False) -> None:
    print(f"{zh} / {en}", file=sys.stderr if err else sys.stdout)


# --------------------------------------------------------------------------- audit verify


def _heads_in(data) -> list[str]:
    """Every ``audit_head`` value in a receipt / opening record / report JSON."""
    if isinstance(data, dict):
        found = [data["audit_head"]] if isinstance(data.get("audit_head"), str) else []
        return found + [h for key, value in data.items() if key != "audit_head" for h in _heads_in(value)]
    if isinstance(data, list):
        return [h for value in data for h in _heads_in(value)]
    return []


def _audit_verify(args) -> int:
    from tender.platform import audit

    expected = list(args.expect_head)
    for path in args.receipt:
        try:
            heads = _heads_in(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            _say(f"无法读取回执 {path}：{error}", f"cannot read the receipt {path}: {error}", err=True)
            return EXIT_REFUSED
        if not heads:
            _say(f"回执 {path} 中没有 audit_head", f"no audit_head in the receipt {path}", err=True)
            return EXIT_REFUSED
        expected += heads
    result = audit.verify()
    if not result.ok:
        _say_broken(result)
        if result.reason == audit.NOT_KEYED and result.broken_seq == 1:
            _say(
                "如果这条链是在审计链加密钥之前写的，先运行 tender audit rekey",
                "if this chain was written before the audit chain was keyed, run `tender audit rekey` first",
                err=True,
            )
        return EXIT_BROKEN
    missing = audit.missing_heads(expected)
    for head in missing:
        _say(
            f"链中找不到先前打印的链头 {head}：最新的记录已被删除或替换",
            f"the head {head} printed earlier is not in the chain: the newest records were deleted or replaced",
            err=True,
        )
    _say(
        f"审计链完整：{result.count} 条记录，链头 {result.head}",
        f"audit chain intact: {result.count} records, head {result.head}",
    )
    for head in expected:
        if head.strip().lower() not in missing:
            seq = audit.seq_of(head)
            where = f"第 {seq} 条记录" if seq else "创世"
            _say(
                f"链头 {head.strip().lower()} 在链中（{where}）",
                f"head {head.strip().lower()} is in the chain ({f'record {seq}' if seq else 'genesis'})",
            )
    return EXIT_BROKEN if missing else 0


def _say_broken(result) -> None:
    reason_zh = next((zh for en, zh in REASONS_ZH.items() if result.reason.startswith(en)), result.reason)
    _say(
        f"审计链在第 {result.broken_seq} 条记录处断开：{reason_zh}",
        f"audit chain broken at record {result.broken_seq}: {result.reason}",
        err=True,
    )


def _audit_rekey() -> int:
    from tender.platform import audit

    outcome = audit.rekey()
    if outcome.broken is not None:
        _say_broken(outcome.broken)
        _say(
            "链已断开，未做任何改动：先查明原因（从备份恢复）",
            "the chain is broken, nothing was changed: find out why first (restore from a backup)",
            err=True,
        )
        return EXIT_BROKEN
    if not outcome.done:
        _say(
            f"审计链已用审计密钥计算（{outcome.records} 条记录，链头 {outcome.new_head}），无需改动",
            f"the audit chain is already keyed ({outcome.records} records, head {outcome.new_head}): nothing to do",
        )
        return 0
    _say(f"审计链已用审计密钥重算：{outcome.records} 条记录", f"audit chain rekeyed: {outcome.records} records")
    _say(
        f"旧链头 {outcome.old_head}（先前打印的链头仍可用 --expect-head 查到）",
        f"former head {outcome.old_head} (heads printed before are still found by --expect-head)",
    )
    _say(f"新链头 {outcome.new_head}：请另行记下", f"new head {outcome.new_head}: note it somewhere else too")
    return 0


# --------------------------------------------------------------------------- backup / restore


def _backup(args) -> int:
    from tender.services.backup import BackupError, backup

    try:
        manifest = backup(args.directory, include_key=args.include_key, method=args.method)
    except BackupError as error:
        _say(f"备份失败：{error.zh}", f"backup failed: {error.en}", err=True)
        return EXIT_REFUSED
    for note in manifest["notes"]:
        _say("注意", note)
    tables = manifest["tables"]
    _say(
        f"已备份到 {args.directory}（{manifest['database']['method']}）",
        f"backed up into {args.directory} ({manifest['database']['method']})",
    )
    _say(
        f"投标 {tables.get('bid', 0)} 份，文件 {tables.get('stored_file', 0)} 个，审计记录 {manifest['audit']['records']} 条",
        f"{tables.get('bid', 0)} bids, {tables.get('stored_file', 0)} files, {manifest['audit']['records']} audit records",
    )
    _say(f"审计链头 {manifest['audit']['head']}", f"audit head {manifest['audit']['head']}")
    for part in manifest["parts"]:
        print(f"  {part['sha256']}  {part['name']}")
    if args.include_key:
        _say(
            "警告：备份中含数据密钥和审计密钥，拿到这个目录的人能读所有投标、能改写审计记录。请分开保管。",
            "warning: the data key and the audit key are in this backup; whoever has the directory can read every "
            "bid and rewrite the audit trail. Keep it apart.",
            err=True,
        )
    else:
        _say(
            "数据密钥和审计密钥不在备份中：另行保管（没有数据密钥无法读取投标文件，没有审计密钥无法核对审计链）",
            "the data key and the audit key are not in the backup: keep them safe elsewhere (without the data key "
            "the bid files cannot be read, without the audit key the audit chain cannot be checked)",
        )
    return 0


def _restore(args) -> int:
    from tender.services.backup import BackupError, restore

    try:
        report = restore(args.directory)
    except BackupError as error:
        _say(f"恢复失败：{error.zh}", f"restore failed: {error.en}", err=True)
        return EXIT_REFUSED
    _say(
        f"已恢复（{report.method}）：投标 {report.tables.get('bid', 0)} 份，文件 {report.tables.get('stored_file', 0)} 个",
        f"restored ({report.method}): {report.tables.get('bid', 0)} bids, {report.tables.get('stored_file', 0)} files",
    )
    _say(
        f"审计链完整，{report.audit_records} 条记录，链头 {report.audit_head}（与备份清单相同）",
        f"audit chain intact, {report.audit_records} records, head {report.audit_head} (as in the manifest)",
    )
    if report.audit_plain_records:
        _say(
            f"这份备份的审计链尚未加密钥（{report.audit_plain_records} 条普通 SHA-256 记录）：运行 tender audit rekey",
            f"the audit chain of this backup is not keyed yet ({report.audit_plain_records} plain SHA-256 "
            "records): run `tender audit rekey`",
            err=True,
        )
    if report.key_matches is False:
        _say("配置的数据密钥不是备份时的密钥", "the configured data key is not the key of the backup", err=True)
    if report.sealed_unreadable:
        _say(
            f"{report.sealed_unreadable}/{report.sealed_total} 个加密内容无法用配置的密钥解密："
            "用 --key-file 或 TENDER_DATA_KEY 提供备份时的密钥",
            f"{report.sealed_unreadable} of {report.sealed_total} sealed items do not decrypt with the configured key: "
            "give the key of the backup with --key-file or TENDER_DATA_KEY",
            err=True,
        )
        return EXIT_BROKEN
    _say(
        f"{report.sealed_total} 个加密内容都能用配置的密钥解密",
        f"all {report.sealed_total} sealed items decrypt with the configured key",
    )
    return 0


def _instance_path() -> Path:
    configured = os.environ.get("TENDER_INSTANCE_PATH")
    if configured:
        return Path(configured)
    from flask import Flask

    return Path(Flask("tender").instance_path)


def _install_key(key_file: Path, filename: str = "data.key", variable: str = "TENDER_DATA_KEY") -> int:
    """Put a key of a backup (the data key or the audit key) where the app reads it,
    before the app makes a new one."""
    try:
        text_key = key_file.read_text().strip()
        if len(base64.urlsafe_b64decode(text_key.encode("ascii"))) != 32:
            raise ValueError("not 32 bytes")
    except (OSError, ValueError) as error:
        _say(f"密钥文件不可用：{error}", f"the key file cannot be used: {error}", err=True)
        return EXIT_REFUSED
    configured = os.environ.get(variable, "").strip()
    if configured:
        if configured != text_key:
            _say(f"环境变量 {variable} 设置了另一个密钥", f"{variable} holds another key", err=True)
            return EXIT_REFUSED
        return 0
    path = _instance_path() / "keys" / filename
    if path.exists():
        if path.read_text().strip() != text_key:
            _say(
                f"{path} 中已有另一个密钥：先把它移走（其他数据可能需要它）",
                f"{path} holds another key: move it away first (other data may need it)",
                err=True,
            )
            return EXIT_REFUSED
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text_key)
    _say(f"密钥已放到 {path}", f"key installed at {path}")
    return 0
