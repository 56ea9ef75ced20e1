"""What each kind of notification says, in Chinese and in English.

A notification stores its kind and the values that fill it (:class:`~tender.models.Notification`);
the words live here, one entry per kind, so a notification reads in its reader's language
whenever it is read — on the page, under the bell, in an e-mail. A new kind is a new entry;
:func:`tender.notifications.notify` refuses a kind that is not here, or values missing for
its text, at the moment of sending rather than when somebody reads it.

Each text is a :class:`scoring.text.Text` of ``str.format`` templates; ``{tender}`` is the
tender's title. A value may itself be a :class:`Text` (an outcome, a proposal): each
reader gets its half. Times are passed as aware datetimes and written in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from decimal import Decimal

from scoring.text import Text
from tender.platform.timefmt import show_time


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its subject (the line under the bell, the e-mail's subject),
    its text (the page and the e-mail's body) and who receives it, in words."""

    subject: Text
    text: Text
    audience: str

    @property
    def params(self) -> frozenset[str]:
        """The names the templates need."""
        names = set()
        for template in (self.subject.zh, self.subject.en, self.text.zh, self.text.en):
            names.update(field for _, field, _, _ in string.Formatter().parse(template) if field)
        return frozenset(names)


KINDS: dict[str, Kind] = {
    # --- sent today
    "amendment": Kind(
        Text("招标项目变更：{tender}", "Tender amended: {tender}"),
        Text(
            "您已投标的项目“{tender}”发布了变更（第 {version} 版）：{note}。投标截止时间：{deadline}。"
            "请阅读变更内容，必要时按新版本重新下载报价单并更新投标。",
            "The tender “{tender}” you have bid on was amended (version {version}): {note}. "
            "Bid deadline: {deadline}. Read the amendment and, if needed, download the new price sheet "
            "and replace your bid.",
        ),
        "vendors with a confirmed bid on the tender",
    ),
    "deadline_extended": Kind(
        Text("投标截止时间延长：{tender}", "Bid deadline extended: {tender}"),
        Text(
            "您已投标的项目“{tender}”的投标截止时间延长至 {deadline}，开标时间为 {opening}。",
            "The bid deadline of the tender “{tender}” you have bid on is extended to {deadline}; "
            "the bids will be opened at {opening}.",
        ),
        "vendors with a confirmed bid on the tender",
    ),
    "tender_cancelled": Kind(
        Text("招标项目已取消：{tender}", "Tender cancelled: {tender}"),
        Text(
            "项目“{tender}”已由采购人取消。原因：{reason}",
            "The buyer cancelled the tender “{tender}”. Reason: {reason}",
        ),
        "vendors with a confirmed bid, and the panel",
    ),
    "bids_opened": Kind(
        Text("已开标：{tender}", "Bids opened: {tender}"),
        Text(
            "项目“{tender}”已于 {opened_at} 开标，共收到 {count} 份投标。",
            "The bids of the tender “{tender}” were opened at {opened_at}: {count} bids were received.",
        ),
        "the bidders whose bids were opened, and the panel",
    ),
    # --- the panel's work and what bidders see after it (§15, §16): called by their services
    "explanation_requested": Kind(
        Text("请说明异常低价：{tender}", "Explanation requested: {tender}"),
        Text(
            "评标委员会认为您在项目“{tender}”中的报价可能异常低，请在 {deadline} 前提交书面澄清说明（可附证明材料）。"
            "逾期未提交的，评标委员会将据现有材料作出决定。",
            "The evaluation panel finds your price on the tender “{tender}” possibly abnormally low. Send a "
            "written explanation (with supporting files) before {deadline}; after that the panel decides on what "
            "it has.",
        ),
        "the vendor whose price was flagged",
    ),
    "explanation_received": Kind(
        Text("异常低价澄清已提交：{tender}", "Explanation received: {tender}"),
        Text(
            "“{vendor}”已就其在项目“{tender}”中的报价提交书面澄清说明（附件 {files} 个），"
            "请在异常低价页面查阅后作出决定。",
            "“{vendor}” has sent its written explanation of its price on the tender “{tender}” ({files} "
            "attached file(s)). Read it on the abnormally-low-price page, then decide.",
        ),
        "the panel members",
    ),
    "result_notice": Kind(
        Text("中标结果公告：{tender}", "Result notice: {tender}"),
        Text(
            "项目“{tender}”的中标结果已公告。您可以查看中标人、您的各项得分和排名；如有异议，可在 {challenge_until} 前提出质疑。",
            "The result of the tender “{tender}” is published. See the winners, your scores and your rank; "
            "a challenge can be lodged before {challenge_until}.",
        ),
        "every bidder of the tender",
    ),
    "challenge_lodged": Kind(
        Text("收到质疑：{tender}", "Challenge lodged: {tender}"),
        Text(
            "{vendor} 对项目“{tender}”的中标结果提出了质疑，请在 {answer_by} 前书面答复。",
            "{vendor} challenged the result of the tender “{tender}”. Answer in writing before {answer_by}.",
        ),
        "the buyer",
    ),
    "challenge_answered": Kind(
        Text("质疑已答复：{tender}", "Challenge answered: {tender}"),
        Text(
            "采购人已答复您对项目“{tender}”提出的质疑：{outcome}。",
            "The buyer answered your challenge on the tender “{tender}”: {outcome}.",
        ),
        "the vendor who lodged the challenge",
    ),
    "vote_waiting": Kind(
        Text("等待您表决：{tender}", "Your vote is awaited: {tender}"),
        Text(
            "项目“{tender}”的评标委员会有一项提议等待您表决：{proposal}。",
            "A proposal of the panel of the tender “{tender}” awaits your vote: {proposal}.",
        ),
        "the panel members who have not voted",
    ),
    "signature_waiting": Kind(
        Text("评标报告等待您签署：{tender}", "Report awaiting your signature: {tender}"),
        Text(
            "组长已结束项目“{tender}”的评审，评标报告等待您签署（需再次输入密码）。",
            "The chair closed the evaluation of the tender “{tender}”; the evaluation report awaits your "
            "signature (you re-enter your password).",
        ),
        "the panel members who have not signed",
    ),
    # --- the contract's months after the award (§14)
    "month_settled": Kind(
        Text("月度结算待确认：{tender} {month}", "Month settled, awaiting you: {tender} {month}"),
        Text(
            "采购人已结算项目“{tender}”合同 {month} 月，应付金额 {payable} 元。请在 {confirm_by} 前确认或提出异议，逾期视为确认。",
            "The buyer settled {month} of the contract of the tender “{tender}”: {payable} CNY payable. Confirm or "
            "dispute it before {confirm_by}; after that it is deemed confirmed.",
        ),
        "the vendor holding the contract",
    ),
    "month_confirmed": Kind(
        Text("月度结算已确认：{tender} {month}", "Month confirmed: {tender} {month}"),
        Text(
            "{vendor} 已确认项目“{tender}”合同 {month} 月的结算。",
            "{vendor} confirmed the settlement of {month} of the contract of the tender “{tender}”.",
        ),
        "the buyer",
    ),
    "month_disputed": Kind(
        Text("月度结算有异议：{tender} {month}", "Month disputed: {tender} {month}"),
        Text(
            "{vendor} 对项目“{tender}”合同 {month} 月的结算提出异议：{reason}。请更正结算或按原结算确认（均须写明理由）。",
            "{vendor} disputed the settlement of {month} of the contract of the tender “{tender}”: {reason}. "
            "Correct the month or confirm it as it stands (either with a reason).",
        ),
        "the buyer",
    ),
    "month_corrected": Kind(
        Text("月度结算已更正：{tender} {month}", "Month corrected: {tender} {month}"),
        Text(
            "采购人更正了项目“{tender}”合同 {month} 月的结算（{reason}），应付金额 {payable} 元。请在 {confirm_by} 前确认或提出异议。",
            "The buyer corrected the settlement of {month} of the contract of the tender “{tender}” ({reason}): "
            "{payable} CNY payable. Confirm or dispute it before {confirm_by}.",
        ),
        "the vendor holding the contract",
    ),
    "month_upheld": Kind(
        Text("月度结算按原结算确认：{tender} {month}", "Month confirmed as it stands: {tender} {month}"),
        Text(
            "采购人答复了您对项目“{tender}”合同 {month} 月结算的异议，按原结算确认：{reason}。",
            "The buyer answered your dispute of {month} of the contract of the tender “{tender}” and confirmed it "
            "as it stands: {reason}.",
        ),
        "the vendor holding the contract",
    ),
    # --- the round of final offers (§12)
    "final_round_opened": Kind(
        Text("最后报价邀请：{tender}", "Final offers invited: {tender}"),
        Text(
            "项目“{tender}”的技术评审已完成，采购人邀请您提交最后报价（使用同一报价单，可选用任一报价方式），"
            "截止时间 {deadline}。最后报价不得高于首次报价；不提交的，以首次报价为准。",
            "The technical evaluation of the tender “{tender}” is done: the buyer invites your final offer "
            "(the same price sheet, any pricing model) before {deadline}. A final offer may not cost more than "
            "your first; without one, your first offer stands.",
        ),
        "the vendors whose bids passed qualification and conformity",
    ),
    "final_offers_opened": Kind(
        Text("最后报价已开启：{tender}", "Final offers opened: {tender}"),
        Text(
            "项目“{tender}”的最后报价已于 {opened_at} 开启，共收到 {count} 份最后报价；排名以最后报价计算，"
            "未提交最后报价的以首次报价为准。",
            "The final offers of the tender “{tender}” were opened at {opened_at}: {count} final offers came in. "
            "The ranking uses them; a bid without one keeps its first offer.",
        ),
        "the invited vendors, and the panel",
    ),
}


class UnknownKind(KeyError):
    pass


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def missing_params(name: str, params: dict) -> list[str]:
    """The names the kind's texts need that ``params`` lacks."""
    return sorted(kind(name).params - set(params))


def stored(value):
    """A value as kept in ``params_json``: a :class:`Text` as ``{"zh": …, "en": …}``, a time
    as ``{"at": ISO 8601 UTC}``, a Decimal as its text, others as given."""
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return {"at": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _shown(value, lang: str):
    """A stored value in ``lang``: a bilingual one picks its half, a time is written in
    Asia/Shanghai with the zone named, ``None`` is left blank."""
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) == {"zh", "en"}:
        return Text(value["zh"], value["en"]).get(lang)
    if isinstance(value, dict) and set(value) == {"at"}:
        return show_time(dt.datetime.fromisoformat(value["at"]))
    return value


def _fill(template: str, params: dict, lang: str) -> str:
    return template.format(**{key: _shown(value, lang) for key, value in params.items()})


def subject(name: str, params: dict, lang: str) -> str:
    return _fill(kind(name).subject.get(lang), params, lang)


def text(name: str, params: dict, lang: str) -> str:
    return _fill(kind(name).text.get(lang), params, lang)
