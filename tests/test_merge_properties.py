"""Properties of the merge (docs/SPEC.md, "Two machines"): copies of one registry, edited apart, merged in any order.

Hypothesis builds a common ancestor, then two or three copies that each run a random
sequence of edits (adds, field edits, tags, reports, status changes, renames, erasures), every
edit saved through the save-time stamping as a command would, each copy on its own device and
clock. On the records (references, applications, reports, owner, tombstones) the merge is
commutative, associative and idempotent; every value either side holds is in the result or in
the merge's history line; an erased person never comes back; the merged history verifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refaudit import feedback, history, references
from refaudit.copies import combining, forms, merging, stamping
from refaudit.model import Application, Feedback, Reference, Registry, unique_id

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")
STAGES = ("screening", "interview", "final", "reference-check")
OUTCOMES = ("pending", "rejected", "offer", "ghosted")


@dataclass
class Copy:
    """One machine's copy: its registry, device id and clock."""

    reg: Registry
    device: str
    at: datetime
    typed: int = 0  # a counter that makes every typed value unique

    def save(self, summary: str, change: Any) -> None:
        before = stamping.snapshot(self.reg)
        change(self.reg)
        self.at += timedelta(seconds=7)
        touched = stamping.stamp(before, self.reg, self.at, self.device)
        history.append(self.reg, self.at, "test", summary).uids = touched

    def word(self) -> str:
        self.typed += 1
        return f"{WORDS[self.typed % len(WORDS)]}-{self.device[:2]}{self.typed}"


def ancestor() -> Registry:
    c = Copy(Registry(), "00" * 8, T0)
    c.reg.copies["merge_key"] = "11" * 32

    def fill(reg: Registry) -> None:
        reg.owner = "Alex"
        reg.references += [Reference(id="jane", name="Jane Doe", tags=["tech"]), Reference(id="omar", name="Omar Li")]
        reg.applications.append(
            Application(id="acme", company="Acme", role="Analyst", applied_on=date(2026, 2, 1), references=["jane"])
        )
        reg.feedback.append(Feedback(id="f1", reference="jane", reported_on=date(2026, 2, 10), sentiment="positive"))
        reg.feedback_seq = 1

    c.save("created", fill)
    return c.reg


def _apply(c: Copy, op: tuple[int, int, int]) -> None:
    kind, i, j = op
    reg = c.reg
    refs, apps = reg.references, reg.applications
    if kind == 0 or not refs:
        name = c.word().title().replace("-", " ")
        rid = unique_id(name.lower().replace(" ", "-"), {r.id for r in refs}, "ref")
        c.save("added", lambda r: r.references.append(Reference(id=rid, name=name)))
    elif kind == 1:
        ref, value, attr = refs[i % len(refs)], c.word(), ("notes", "title", "organization")[j % 3]
        c.save("edited", lambda r: setattr(ref, attr, value))
    elif kind == 2:
        ref, value = refs[i % len(refs)], c.word()
        c.save("tagged", lambda r: ref.tags.append(value) if value not in ref.tags else None)
    elif kind == 3:
        ref = refs[i % len(refs)]
        if ref.tags:
            c.save("untagged", lambda r: ref.tags.pop(j % len(ref.tags)))
    elif kind == 4:
        ref, quote = refs[i % len(refs)], c.word()

        def log(r: Registry) -> None:
            r.feedback.append(
                Feedback(id=r.new_feedback_id(), reference=ref.id, reported_on=date(2026, 3, 1 + j % 20),
                         sentiment=("positive", "negative", "mixed")[j % 3], quote=quote)
            )  # fmt: skip

        c.save("logged", log)
    elif kind == 5 and apps:
        app = apps[i % len(apps)]
        stage, outcome = STAGES[j % len(STAGES)], OUTCOMES[i % len(OUTCOMES)]
        c.save("stage", lambda r: (setattr(app, "stage", stage), setattr(app, "outcome", outcome)))
    elif kind == 6:
        company, ref = c.word(), refs[j % len(refs)]
        aid = unique_id(company, {a.id for a in apps}, "app")
        c.save("applied", lambda r: r.applications.append(
            Application(id=aid, company=company, role="Role", applied_on=date(2026, 3, 2), references=[ref.id])
        ))  # fmt: skip
    elif kind == 7 and apps:
        app, ref = apps[i % len(apps)], refs[j % len(refs)]
        c.save("gave", lambda r: app.references.append(ref.id) if ref.id not in app.references else None)
    elif kind == 8:
        ref = refs[i % len(refs)]
        c.save("removed", lambda r: references.remove(r, ref))
    elif kind == 9 and reg.feedback:
        report = reg.feedback[i % len(reg.feedback)]
        c.save("removed report", lambda r: feedback.remove(r, report))
    elif kind == 10:
        ref, new_id = refs[i % len(refs)], c.word()
        if all(r.id != new_id for r in refs):
            c.save("renamed", lambda r: references.rename(r, ref, new_id))
    elif kind == 11:
        ref = refs[i % len(refs)]
        c.save("status", lambda r: setattr(ref, "status", ("active", "resting", "dropped")[j % 3]))


ops = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 50), st.integers(0, 50)), max_size=8)


def copies(n: int, edits: list[list[tuple[int, int, int]]]) -> list[Copy]:
    base = ancestor()
    made = []
    for k in range(n):
        own = Registry.from_plain(forms.canonical(base.to_plain()))  # nothing shared between copies
        c = Copy(own, f"{k + 1:02x}" * 8, T0 + timedelta(seconds=k))
        for op in edits[k]:
            _apply(c, op)
        made.append(c)
    return made


def body(c: Copy) -> dict[str, Any]:
    return combining.body_of(c.reg)


def records(b: dict[str, Any]) -> dict[str, Any]:
    return merging.records_of(b)


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ops, ops)
def test_two_copies_merge_the_same_whichever_way(a_ops: list[Any], b_ops: list[Any]) -> None:
    """A ⊔ B = B ⊔ A on the records; merging again changes nothing; the merged history verifies."""
    a, b = copies(2, [a_ops, b_ops])
    ab, ba = merging.merge(body(a), body(b)), merging.merge(body(b), body(a))
    assert records(ab.body) == records(ba.body)
    assert not merging.merge(ab.body, ab.body).changed
    assert not merging.merge(ab.body, body(a)).changed
    assert not merging.merge(ab.body, body(b)).changed
    assert records(merging.merge(ab.body, body(b)).body) == records(ab.body)
    merged, _ = combining.combine(a.reg, b.reg, a.at + timedelta(minutes=1))
    if merged is not None:
        Registry.from_plain(merged.to_plain())
        assert history.problems(merged.history) == []
        assert records(combining.body_of(merged)) == records(ab.body)


@SETTINGS
@given(ops, ops, ops)
def test_three_copies_merge_the_same_in_any_grouping(a_ops: list[Any], b_ops: list[Any], c_ops: list[Any]) -> None:
    """(A ⊔ B) ⊔ C = A ⊔ (B ⊔ C) on the records, and the history of each merge in turn verifies."""
    made = copies(3, [a_ops, b_ops, c_ops])
    a, b, c = (body(x) for x in made)
    left = merging.merge(merging.merge(a, b).body, c).body
    right = merging.merge(a, merging.merge(b, c).body).body
    assert records(left) == records(right)
    at = max(x.at for x in made) + timedelta(minutes=1)
    first = combining.combine(made[0].reg, made[1].reg, at)[0] or made[0].reg
    second = combining.combine(first, made[2].reg, at + timedelta(minutes=1))[0] or first
    assert history.problems(second.history) == []
    assert records(combining.body_of(second)) == records(left)


@SETTINGS
@given(ops, ops)
def test_every_value_is_in_the_result_or_its_history(a_ops: list[Any], b_ops: list[Any]) -> None:
    """Each text a copy holds on a record that survives is in the merged record or in the merge's history line."""
    a, b = copies(2, [a_ops, b_ops])
    outcome = merging.merge(body(a), body(b))
    lost = "\n".join(outcome.overwritten)
    merged = {r["uid"]: r for kind in ("references", "applications", "feedback") for r in outcome.body[kind]}
    for side in (body(a), body(b)):
        for kind in ("references", "applications", "feedback"):
            for record in side[kind]:
                if record["uid"] not in merged:
                    continue
                for name in ("name", "notes", "title", "organization", "quote", "company", "tags"):
                    values = record.get(name)
                    for value in values if isinstance(values, list) else [values]:
                        held = merged[record["uid"]].get(name)
                        if value is not None and value != held and not (isinstance(held, list) and value in held):
                            assert value in lost, (kind, name, value)


@SETTINGS
@given(ops, ops, st.integers(0, 1))
def test_an_erased_person_never_comes_back(a_ops: list[Any], b_ops: list[Any], who: int) -> None:
    """Erasing a reference on one copy wins over any edit on the other, now and in every later merge.

    Gone with them: the reports about them (even one logged on the other machine) and their place on applications.
    """
    a, b = copies(2, [a_ops, b_ops])
    if not a.reg.references:
        return
    target = a.reg.references[0]
    uid = target.uid
    reports = {
        f.uid for c in (a, b) for f in c.reg.feedback if f.reference in {r.id for r in c.reg.references if r.uid == uid}
    }
    a.save("removed", lambda r: references.remove(r, r.reference(target.id)))
    b_ref = next((r for r in b.reg.references if r.uid == uid), None)
    if b_ref is not None:  # the other machine keeps working on that person
        b.save("edited", lambda r: setattr(b_ref, "notes", "more about them"))
        b.save("logged", lambda r: r.feedback.append(
            Feedback(id=r.new_feedback_id(), reference=b_ref.id, reported_on=date(2026, 3, 9), sentiment="mixed")
        ))  # fmt: skip
        reports.add(b.reg.feedback[-1].uid)
    first = merging.merge(body(a), body(b)) if who == 0 else merging.merge(body(b), body(a))
    again = merging.merge(first.body, body(b))
    for result in (first.body, again.body):
        assert uid not in {r["uid"] for r in result["references"]}
        assert not reports & {f["uid"] for f in result["feedback"]}
        ids = {r["id"] for r in result["references"]}
        assert all(set(app.get("references", [])) <= ids for app in result["applications"])
