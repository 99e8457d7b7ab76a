"""Compares the verifier's hand-written schema rules with the EU's own validation.

The EU's quality-assurance pipeline validates a payload with python-jsonschema's
Draft202012Validator for the schema of the payload's `ver`, without a format checker. This script
does the same on every payload in ../shared/corpus and on a mutation set it generates (mutations
that exercise every keyword of every schema version, formats included), runs the verifier's rules
on the same payloads (`cargo run --example schema_verdicts`, given as argv[1:]), and compares:

- the schema's rules alone (`schema_valid`) must agree with python-jsonschema on every payload;
- the verifier's verdict (`valid`) may be stricter only by its own documented rules (one_group,
  name_display, ascii_digits: src/dcc/schema.rs), and never more lenient.

Run it with scripts/schema-oracle (which makes the pinned virtual environment).
Exit status: 0 agreement, 1 disagreement, 2 usage.
"""

import copy
import glob
import json
import os
import re
import subprocess
import sys

import cbor2
from jsonschema import Draft202012Validator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
SCHEMAS = os.path.join(SHARED, "schemas")
CORPUS = os.path.join(SHARED, "corpus")
OWN_RULES = {"one_group", "name_display", "ascii_digits"}


# --- The EU's method -------------------------------------------------------------------------


def load_validators():
    validators = {}
    for folder in sorted(os.listdir(SCHEMAS)):
        files = glob.glob(os.path.join(SCHEMAS, folder, "*.combined-schema.json"))
        if len(files) != 1:
            continue
        with open(files[0], encoding="utf-8") as handle:
            schema = json.load(handle)
        Draft202012Validator.check_schema(schema)
        # No format_checker: `format` is an annotation, as in the EU's validation.
        validators[folder] = Draft202012Validator(schema)
    return validators


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def select(validators, payload):
    """The validator for the payload's `ver`, chosen as the verifier chooses (an unknown 1.x.y:
    the newest of its minor line, else the newest of all); None when `ver` names no version
    (the EU's validation then has no schema to use, and the payload fails)."""
    newest = max(validators, key=version_key)
    ver = payload.get("ver") if isinstance(payload, dict) else None
    if ver is None:
        # Missing: every schema requires `ver`; checked against the newest, it fails there.
        return validators[newest]
    if not isinstance(ver, str):
        return None
    if ver in validators:
        return validators[ver]
    match = re.fullmatch(r"([0-9]+)\.([0-9]+)\.([0-9]+)", ver)
    if not match or int(match.group(1)) != 1:
        return None
    line = [v for v in validators if v.startswith(f"1.{int(match.group(2))}.")]
    return validators[max(line, key=version_key) if line else newest]


def eu_verdict(validators, payload):
    validator = select(validators, payload)
    return validator is not None and validator.is_valid(payload)


# --- Payloads --------------------------------------------------------------------------------


def corpus_payloads():
    """Every payload of ../shared/corpus: a case's JSON, or its CBOR (a bare payload or a whole
    COSE_Sign1) decoded."""
    payloads = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            try:
                case = json.load(handle)
            except ValueError:
                continue
        if not isinstance(case, dict):
            continue
        payload = case.get("JSON")
        if payload is None and isinstance(case.get("CBOR"), str):
            payload = payload_from_cbor(case["CBOR"])
        if payload is not None:
            payloads.append((os.path.relpath(path, CORPUS), payload))
    return payloads


def payload_from_cbor(text):
    try:
        value = cbor2.loads(bytes.fromhex(text.strip()))
        if isinstance(value, cbor2.CBORTag):
            value = value.value
        if isinstance(value, list) and len(value) == 4:
            claims = cbor2.loads(value[2])
            value = claims.get(-260, {}).get(1)
        if isinstance(value, dict) and "ver" in value:
            return json.loads(json.dumps(value, default=str))
    except Exception:  # noqa: BLE001 (a broken case has no payload to compare)
        return None
    return None


VERSIONS = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3"]


def bases(version):
    """A valid vaccination, test and recovery payload of `version`."""
    old = version_key(version) < (1, 3, 0)
    common = {
        "ver": version,
        "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Bảo Duy", "gnt": "BAO<DUY"},
        "dob": "1990-01-01",
    }
    entry_tail = {"co": "VN", "is": "Ministry of Health", "ci": "URN:UVCI:01:VN:ABC#X"}
    v = dict(common, v=[dict({"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                              "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-06-01"},
                             **entry_tail)])
    t = dict(common, t=[dict({"tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler",
                              "sc": "2021-05-03T10:27:15Z", "tr": "260415000",
                              "tc": "Test centre"}, **entry_tail)])
    r = dict(common, r=[dict({"tg": "840539006", "fr": "2021-04-01", "df": "2021-04-20",
                              "du": "2021-10-01"}, **entry_tail)])
    if not old:
        t = dict(t, dob="1990")
    return {"v": v, "t": t, "r": r}


DATES = ["2021-05-18", "2021-05-18T08:10:00+02:00", "2022-01-17T05:00:00Z",
         "2022-01-01T00:00:00.000Z", "2021-05-18T08:10:00", "2022-17-01", "2021-02-29",
         "2024-02-29", "1900-02-29", "01.04.2021", "2021-05-18 08:10", "", "2021-05-18\n",
         "2021-5-18", "２０２１-05-18", "2021-05-18x", "20210518", "2021-00-10", "2021-04-31"]
DATE_TIMES = ["2021-05-03T10:27:15Z", "2021-05-03t10:27:15z", "2021-05-03T10:27:15.123Z",
              "2021-05-03T10:27:15+02:00", "2021-05-03", "2021-05-03T10:27:15",
              "2021-05-03 10:27:15Z", "2021-02-30T10:00:00Z", "x", "2021-05-03T10:27:15+0200",
              "2021-05-03T24:00:00Z", "2016-12-31T23:59:60Z", "", "2021-05-03T10:27Z"]
DOBS = ["", "1990", "1990-05", "1990-13", "1990-00", "1990-02-30", "1899-01-01", "2100",
        "1990-01-01T00:00:00", "x1990-01-01", "1990-01-01\n", "1990-01-01\n\n",
        "١٩٩٠-٠١-٠١", "１９９０", "19٩٠-٠١-٠١", "20２０", "19٩٠", "1990-01-01 ", "19900101", "1990-1-1", "2099-12-31",
        "1979-13-45", "79", "1979-"]
TRANSLITERATED = ["ABC", "abc", "A B", "ABC\n", "ABC\n\n", "", "ÄBC", "A<B<<C", "\nABC"]
PRINTED = ["Tran\u202enimdA", "\u2067Mai", "Thi\u0000Mai", "Tran\nMai", "Mai\u0085",
           "\u05db\u05d4\u05df\u200f", "Nguyễn"]
COUNTRIES = ["DE", "de", "xxDE", "", "D", "12", "ÜDE", "ABCDEFGHIJK", "Viet Nam", "d-E"]
DOSES = [0, 1, 9, 10, -1, 1.5, 2.0, "2", True, None, 10**20, 0.0, 1e300]
VERS = VERSIONS + ["1.3", "1.3.9", "1.9.0", "1.0.5", "1.2.7", "2.0.0", "1.3.0\n", "1x3x0",
                   1.3, None, "", "v1.3.0", "١.٣.٠", "1.10.250", "0.9.0"]
ODD_VALUES = [None, True, 1, 1.5, "x", [], {}, [1], {"a": 1}]


def lengths(limit):
    return ["A" * n for n in (limit - 1, limit, limit + 1)] + ["é" * (limit + 1), "é" * limit]


def entry_fields(group):
    return {
        "v": ["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"],
        "t": ["tg", "tt", "nm", "ma", "sc", "dr", "tr", "tc", "co", "is", "ci"],
        "r": ["tg", "fr", "co", "is", "df", "du", "ci"],
    }[group]


DELETE = object()


def mutations(base, group):
    """(name, [(path, value or DELETE)]) mutations of one base payload."""
    entry = (group, 0)
    out = []

    def one(name, path, value):
        out.append((name, [(path, value)]))

    for value in VERS:
        one("ver", ("ver",), value)
    one("ver missing", ("ver",), DELETE)
    for value in DOBS + ODD_VALUES:
        one("dob", ("dob",), value)
    one("dob missing", ("dob",), DELETE)
    one("nam missing", ("nam",), DELETE)
    for value in ODD_VALUES:
        one("nam", ("nam",), value)
    for key in ["fnt", "gnt"]:
        for value in TRANSLITERATED + lengths(50) + lengths(80) + ODD_VALUES:
            one(f"nam.{key}", ("nam", key), value)
        one(f"nam.{key} missing", ("nam", key), DELETE)
    out.append(("nam only fn", [(("nam", "fnt"), DELETE), (("nam", "gnt"), DELETE)]))
    out.append(("nam only gnt", [(("nam", "fnt"), DELETE)]))
    for key in ["fn", "gn"]:
        for value in PRINTED + lengths(50) + lengths(80) + ODD_VALUES:
            one(f"nam.{key}", ("nam", key), value)
        one(f"nam.{key} missing", ("nam", key), DELETE)
    one("nam extra", ("nam", "zz"), [1, 2])
    # The groups.
    for other in "vtr":
        if other != group:
            one(f"also {other}", (other,), copy.deepcopy(bases("1.3.0")[other][other]))
            one(f"also {other} null", (other,), None)
            one(f"also {other} empty", (other,), [])
    one("group missing", (group,), DELETE)
    for value in [[], {}, "x", None, ["x"], [{}], [None]]:
        one("group value", (group,), value)
    one("second entry", (group, 1), copy.deepcopy(base[group][0]))
    one("top extra", ("extension",), {"a": 1})
    one("top extra text", ("xx",), "2021-05-18T08:10:00Z")
    one("entry extra", entry + ("xx",), None)
    # The entry's fields.
    for key in entry_fields(group):
        path = entry + (key,)
        one(f"{group}.{key} missing", path, DELETE)
        for value in ODD_VALUES + ["", "A" * 50, "A" * 51, "A" * 80, "A" * 81, "é" * 81]:
            one(f"{group}.{key}", path, value)
        if key in ("dt", "fr", "df", "du"):
            for value in DATES:
                one(f"{group}.{key} date", path, value)
        if key in ("sc", "dr"):
            for value in DATE_TIMES:
                one(f"{group}.{key} date-time", path, value)
        if key == "co":
            for value in COUNTRIES:
                one(f"{group}.co", path, value)
        if key in ("dn", "sd"):
            for value in DOSES:
                one(f"{group}.{key} dose", path, value)
    return out


def apply(payload, changes):
    payload = copy.deepcopy(payload)
    for path, value in changes:
        parent = payload
        for step in path[:-1]:
            if isinstance(parent, dict) and step in parent:
                parent = parent[step]
            elif isinstance(parent, list) and isinstance(step, int) and step < len(parent):
                parent = parent[step]
            else:
                return None
        last = path[-1]
        if isinstance(parent, dict):
            if value is DELETE:
                if last not in parent:
                    return None
                del parent[last]
            else:
                parent[last] = copy.deepcopy(value)
        elif isinstance(parent, list) and isinstance(last, int):
            if value is DELETE or last > len(parent):
                return None
            if last == len(parent):
                parent.append(copy.deepcopy(value))
            else:
                parent[last] = copy.deepcopy(value)
        else:
            return None
    return payload


def generated_payloads(corpus):
    generated = []
    for version in VERSIONS:
        for group, base in bases(version).items():
            generated.append((f"{version} {group} base", base))
            for name, changes in mutations(base, group):
                payload = apply(base, changes)
                if payload is not None:
                    generated.append((f"{version} {group} {name} {changes[0][1]!r}", payload))
    for value in [[], "x", 1, None, [{"ver": "1.3.0"}]]:
        generated.append(("not an object", value))
    # The corpus's payloads with the format oddities real issuers write, and an extra field.
    for name, payload in corpus:
        if not isinstance(payload, dict):
            continue
        for group in "vtr":
            entries = payload.get(group)
            if not (isinstance(entries, list) and entries and isinstance(entries[0], dict)):
                continue
            for key in entries[0]:
                values = DATES if key in ("dt", "fr", "df", "du") else (
                    DATE_TIMES if key in ("sc", "dr") else [])
                for value in values:
                    mutated = apply(payload, [((group, 0, key), value)])
                    generated.append((f"{name} {group}.{key}={value!r}", mutated))
        for value in DOBS:
            generated.append((f"{name} dob={value!r}", apply(payload, [(("dob",), value)])))
        generated.append((f"{name} extra", apply(payload, [(("extension",), {"x": 1})])))
    return generated


# --- Comparison ------------------------------------------------------------------------------


def ours(command, payloads):
    lines = "".join(json.dumps(payload) + "\n" for _, payload in payloads)
    result = subprocess.run(command, input=lines.encode(), stdout=subprocess.PIPE, check=True)
    verdicts = [json.loads(line) for line in result.stdout.decode().splitlines()]
    if len(verdicts) != len(payloads):
        sys.exit(f"the verifier answered {len(verdicts)} lines for {len(payloads)} payloads")
    return verdicts


def compare(label, validators, payloads, verdicts, record):
    disagreements, own = [], {}
    with_warnings = eu_valid = 0
    for (name, payload), verdict in zip(payloads, verdicts):
        theirs = eu_verdict(validators, payload)
        eu_valid += theirs
        with_warnings += bool(verdict.get("warnings")) and verdict.get("valid", False)
        stricter_by_own = (not verdict["valid"]) and verdict["schema_valid"] and bool(
            set(verdict["own_rules"]) & OWN_RULES)
        if verdict.get("schema_valid") != theirs:
            disagreements.append((name, payload, theirs, verdict))
        elif verdict["valid"] != theirs:
            if stricter_by_own:
                for rule in verdict["own_rules"]:
                    own[rule] = own.get(rule, 0) + 1
            else:
                disagreements.append((name, payload, theirs, verdict))
    agree = len(payloads) - len(disagreements)
    differs = sum(own.values())
    print(f"{label}: {len(payloads)} payloads ({eu_valid} valid, {len(payloads) - eu_valid} "
          f"invalid by python-jsonschema); schema rules agree on "
          f"{agree} ({100.0 * agree / max(len(payloads), 1):.2f}%); the verdict is stricter on "
          f"{differs} by the verifier's own rules "
          f"{dict(sorted(own.items()))}; {with_warnings} valid with warnings")
    record[label] = {"payloads": len(payloads), "agree": agree, "stricter": differs,
                     "validWithWarnings": with_warnings}
    for name, payload, theirs, verdict in disagreements[:25]:
        print(f"  DISAGREE {name}: python-jsonschema {'valid' if theirs else 'invalid'}, "
              f"ours {verdict}\n    {json.dumps(payload, ensure_ascii=False)[:300]}")
    return len(disagreements)


def record_figures(key, counts):
    """Sets `key` of docs/conformance.json (README.md and docs/ quote it: scripts/figures)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "conformance.json")
    try:
        with open(path, encoding="utf-8") as handle:
            figures = json.load(handle)
    except (OSError, ValueError):
        figures = {}
    figures[key] = counts
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(figures, indent=2, sort_keys=True) + "\n")  # as serde_json writes it


def main():
    if len(sys.argv) < 2:
        sys.exit(2)
    if not os.path.isdir(SCHEMAS) or not os.path.isdir(CORPUS):
        print("skipping the schema oracle: ../shared (schemas, corpus) not found")
        return 0
    validators = load_validators()
    corpus = corpus_payloads()
    generated = generated_payloads(corpus)
    failures = 0
    record = {}
    for label, payloads in [("corpus", corpus), ("mutations", generated)]:
        failures += compare(label, validators, payloads, ours(sys.argv[1:], payloads), record)
    record_figures("schemaOracle", record)
    print("schema oracle: " + ("agreement" if failures == 0 else f"{failures} disagreements"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
