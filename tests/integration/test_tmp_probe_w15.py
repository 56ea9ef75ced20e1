import copy, json, datetime as dt
from tests.integration.helpers import SAMPLES
from tender.services import tenders as tender_service, bids as bid_service
from tender.documents.quote_template import build_quote_template
from tender.demo.files import fill_quote, make_bid_document
from tender.models import utcnow
from tender.platform.timefmt import to_iso_shanghai

def test_probe(app, users):
    data = json.loads((SAMPLES / "lots" / "tender.json").read_text())
    data.pop("published_at")
    deadline = (utcnow() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    data.update(bid_deadline=to_iso_shanghai(deadline), opening_time=to_iso_shanghai(deadline + dt.timedelta(minutes=30)))
    t = tender_service.publish(users["buyer"], tender_service.save_draft(users["buyer"], data))
    bid = json.loads((SAMPLES / "lots" / "bids" / "yunkefu.json").read_text())
    q = fill_quote(build_quote_template(t.definition(), tender_id=t.public_id, version=t.version), bid)
    d = make_bid_document(t.definition().get("required_sections", []), bid["facts"])
    v = bid_service.upload(users["vendor"], t.public_id, bid_service.Upload("q.xlsx", q), bid_service.Upload("d.docx", d))
    c = bid_service.sealed_content(users["vendor"], v)
    print(json.dumps(c["evaluation"], ensure_ascii=False)[:1500])
    print(json.dumps(c["bid"], ensure_ascii=False)[:800])
