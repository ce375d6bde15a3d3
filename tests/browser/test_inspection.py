"""The technician's inspection on a tablet: notes are never lost. They are saved with a
rating, when the field is left, and, typed offline, when the tablet is back online."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shop.models import ShopProfile
from tests.browser.conftest import TABLET
from tests.workorders.factories import VehicleFactory, inspection_sheet
from workorders import services
from workorders.models import InspectionResult
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inspection_page(page, live_server, log_in, advisor, technician):
    """The technician on the inspection page of their repair order, the inspection started."""
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("8.250")}
    )
    statuses = statuses_ensure()
    work_order = services.workorder_create(
        by=advisor,
        vehicle=VehicleFactory(make="Honda", model="Civic", plate="CIV2016"),
        default_technician=technician,
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Front brakes")
    work_order = services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )
    services.inspection_start(by=technician, work_order=work_order, sheet=inspection_sheet())
    page.set_viewport_size(TABLET)
    log_in("tech")
    page.goto(f"{live_server.url}/workorders/{work_order.pk}/inspection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vehicle inspection")
    return page


def item(page, label: str):
    return page.locator("article.inspect-item", has_text=label)


def notes_of(label: str) -> str:
    return InspectionResult.objects.get(label=label).notes


def test_a_note_typed_then_rated_is_kept(inspection_page, shoot):
    page = inspection_page
    pads = item(page, "Front brake pads")
    notes = pads.get_by_label("Notes on Front brake pads")
    notes.press_sequentially("2 mm left on the inner pad")
    with page.expect_response(
        lambda r: "/inspection/items/" in r.url and "rating" in (r.request.post_data or "")
    ):
        pads.get_by_role("button", name="Needs attention now: Front brake pads").click()
    pads = item(page, "Front brake pads")
    expect(
        pads.get_by_role("button", name="Needs attention now: Front brake pads")
    ).to_have_attribute("aria-pressed", "true")
    expect(pads.get_by_label("Notes on Front brake pads")).to_have_value(
        "2 mm left on the inner pad"
    )
    expect(pads.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Front brake pads") == "2 mm left on the inner pad"
    assert InspectionResult.objects.get(label="Front brake pads").rating == "red"
    page.reload()
    expect(item(page, "Front brake pads").get_by_label("Notes on Front brake pads")).to_have_value(
        "2 mm left on the inner pad"
    )
    shoot("inspection-notes-rated-tablet")


def test_a_note_is_saved_when_the_field_is_left(inspection_page):
    page = inspection_page
    rear = item(page, "Rear brake pads")
    rear.get_by_label("Notes on Rear brake pads").fill("7 mm, even wear")
    expect(rear.get_by_role("status")).to_have_text("Not saved yet")
    rear.get_by_label("Notes on Rear brake pads").press("Tab")  # leaves the field
    expect(rear.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Rear brake pads") == "7 mm, even wear"
    assert InspectionResult.objects.get(label="Rear brake pads").rating == ""


def test_a_note_typed_offline_is_sent_when_the_tablet_is_back_online(
    inspection_page, context, shoot
):
    page = inspection_page
    tread = item(page, "Tread depth")
    context.set_offline(True)
    tread.get_by_label("Notes on Tread depth").fill("4/32 in on the outer edge")
    tread.get_by_label("Notes on Tread depth").press("Tab")
    expect(tread.get_by_role("status")).to_contain_text("Offline: kept on this tablet")
    shoot("inspection-notes-offline-tablet")
    assert notes_of("Tread depth") == ""
    context.set_offline(False)
    expect(tread.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Tread depth") == "4/32 in on the outer edge"
    # Nothing is left waiting on the tablet once the shop has it.
    assert page.evaluate("window.localStorage.getItem('shop.inspection-notes')") == "{}"

    # A rating tapped offline is not sent, and says so; the note typed with it still arrives.
    pads = item(page, "Front brake pads")
    context.set_offline(True)
    pads.get_by_label("Notes on Front brake pads").fill("Squeals when cold")
    pads.get_by_role("button", name="Needs attention now: Front brake pads").click()
    expect(pads.get_by_role("status")).to_contain_text("Offline: not sent")
    context.set_offline(False)
    expect(pads.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Front brake pads") == "Squeals when cold"
    assert InspectionResult.objects.get(label="Front brake pads").rating == ""


RECORD_WEBM = """
async (seconds) => {
  // A real clip, as a browser records one: a canvas with a moving square, 320 x 240, VP8.
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 240;
  const paint = canvas.getContext("2d");
  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8" });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.start(100);
  const start = performance.now();
  await new Promise((done) => {
    (function frame() {
      const elapsed = performance.now() - start;
      paint.fillStyle = "#7f1d1d";
      paint.fillRect(0, 0, 320, 240);
      paint.fillStyle = "#fde68a";
      paint.fillRect((elapsed / 8) % 280, 100, 40, 40);
      if (elapsed < seconds * 1000) requestAnimationFrame(frame); else done();
    })();
  });
  const stopped = new Promise((done) => (recorder.onstop = done));
  recorder.stop();
  await stopped;
  const url = await new Promise((done) => {
    const reader = new FileReader();
    reader.onload = () => done(reader.result);
    reader.readAsDataURL(new Blob(chunks, { type: "video/webm" }));
  });
  return url.split(",")[1];
}
"""

METADATA_LOADED = """
(video) => new Promise((done) => {
  if (video.readyState >= 1) return done(video.videoWidth);
  video.addEventListener("loadedmetadata", () => done(video.videoWidth), { once: true });
  video.addEventListener("error", () => done(-1), { once: true });
})
"""

PLAYS = """
async (video) => {
  video.muted = true;
  await video.play();
  await new Promise((done) => {
    const check = () => (video.currentTime > 0.3 ? done() : setTimeout(check, 50));
    check();
  });
  video.pause();
  return video.currentTime;
}
"""


def test_a_video_recorded_on_the_tablet_plays_on_the_customers_link_at_phone_width(
    inspection_page, live_server, shoot
):
    import base64

    from messaging.services.customer_link import customer_link_token_make
    from tests.browser.conftest import PHONE
    from workorders.models import InspectionVideo

    page = inspection_page
    pads = item(page, "Front brake pads")
    with page.expect_response(lambda r: "/inspection/items/" in r.url):
        pads.get_by_role("button", name="Needs attention now: Front brake pads").click()
    recorded = base64.b64decode(page.evaluate(RECORD_WEBM, 2))
    pads = item(page, "Front brake pads")
    pads.locator("input[name=video]").set_input_files(
        {"name": "brakes.webm", "mimeType": "video/webm", "buffer": recorded}
    )
    # Choosing the clip uploads it: no other tap.
    player = pads.get_by_label("Video 1 of Front brake pads", exact=False)
    expect(player).to_be_visible()
    assert player.evaluate(METADATA_LOADED) == 320
    video = InspectionVideo.objects.get()
    assert video.content_type == "video/webm" and 1000 <= video.duration_ms <= 3000
    shoot("inspection-video-tablet")

    page.set_viewport_size(PHONE)
    page.goto(
        f"{live_server.url}/messages/l/{customer_link_token_make(video.result.inspection.work_order)}/"
    )
    report = page.get_by_role("region", name="Your inspection")
    player = report.get_by_label("Video 1 of Front brake pads", exact=False)
    expect(player).to_be_visible()
    assert player.get_attribute("playsinline") is not None
    assert player.evaluate(METADATA_LOADED) == 320
    assert player.evaluate(PLAYS) > 0.3
    box = player.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    player.scroll_into_view_if_needed()
    shoot("inspection-video-customer-link-phone")


def test_the_owner_edits_the_demo_sheet_from_its_lines(page, live_server, log_in, owner, shoot):
    from tests.browser.conftest import DESKTOP
    from workorders.models import InspectionSheet
    from workorders.seeding.inspections import inspection_sheets_ensure

    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "Main Street Auto"})
    sheet = inspection_sheets_ensure()
    page.set_viewport_size(DESKTOP)
    log_in("owner")
    page.goto(f"{live_server.url}/workorders/inspection-sheets/")
    write_box = page.get_by_label("Sections and items")
    expect(write_box).to_have_value("")  # not a QueryDict's method
    expect(page.get_by_role("row", name="Multi-point inspection")).to_contain_text("34")
    page.get_by_role("link", name="Edit Multi-point inspection").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Multi-point inspection")
    lines = page.get_by_label("Sections and items")
    text = lines.input_value()
    assert text.startswith("# Under hood\nEngine oil level and condition\n")
    assert "\n# Lights\nHeadlights\n" in text
    shoot("inspection-sheet-edit-desktop")
    lines.fill(text + "\n# Interior\nHorn\nSeat belts")
    page.get_by_role("button", name="Save sheet").click()
    expect(page.get_by_role("row", name="Multi-point inspection")).to_contain_text("36")
    sections = [s.title for s in InspectionSheet.objects.get(pk=sheet.pk).sections.all()]
    assert sections[-1] == "Interior"
