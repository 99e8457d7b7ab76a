// Generated from src/dcc/fields.rs (the DCC's fields, shared by the reader, the schema
// check and this page) by tests/fields.rs. Do not edit: run
// `UPDATE_GENERATED=1 cargo test --test fields`.

/**
 * The fields of each place of the payload (`top`, `nam`, and the entries of `v`, `t`, `r`),
 * in the schemas' order: `key`, `label` (a key of www/i18n/*.js) and how the page shows the
 * value (`shown`; `set` names a table of www/i18n/valuesets.js, `of` the field shown as m
 * in "n of m").
 */
export const FIELDS = {
  top: [
    { key: 'ver', label: 'field.schemaVersion', shown: 'text' },
    { key: 'nam', label: 'field.name', shown: 'holder' },
    { key: 'dob', label: 'field.dob', shown: 'holder' },
    { key: 'v', label: 'section.entry.vaccination', shown: 'section' },
    { key: 't', label: 'section.entry.test', shown: 'section' },
    { key: 'r', label: 'section.entry.recovery', shown: 'section' },
  ],
  nam: [
    { key: 'fn', label: 'field.name', shown: 'holder' },
    { key: 'fnt', label: 'field.nameT', shown: 'holder' },
    { key: 'gn', label: 'field.name', shown: 'holder' },
    { key: 'gnt', label: 'field.nameT', shown: 'holder' },
  ],
  v: [
    { key: 'tg', label: 'field.disease', shown: 'code', set: 'disease' },
    { key: 'vp', label: 'field.vaccineType', shown: 'code', set: 'prophylaxis' },
    { key: 'mp', label: 'field.vaccine', shown: 'code', set: 'product' },
    { key: 'ma', label: 'field.manufacturer', shown: 'code', set: 'manufacturer' },
    { key: 'dn', label: 'field.dose', shown: 'outOf', of: 'sd' },
    { key: 'sd', label: 'field.dose', shown: 'withAnother' },
    { key: 'dt', label: 'field.vaccinationDate', shown: 'date' },
    { key: 'co', label: 'field.country', shown: 'country' },
    { key: 'is', label: 'field.issuer', shown: 'text' },
    { key: 'ci', label: 'field.certId', shown: 'identifier' },
  ],
  t: [
    { key: 'tg', label: 'field.disease', shown: 'code', set: 'disease' },
    { key: 'tt', label: 'field.testType', shown: 'code', set: 'testType' },
    { key: 'nm', label: 'field.testName', shown: 'text' },
    { key: 'ma', label: 'field.testDevice', shown: 'text' },
    { key: 'sc', label: 'field.sampleTaken', shown: 'dateTime' },
    { key: 'dr', label: 'field.testResultDate', shown: 'dateTime' },
    { key: 'tr', label: 'field.testResult', shown: 'code', set: 'testResult' },
    { key: 'tc', label: 'field.testCentre', shown: 'text' },
    { key: 'co', label: 'field.country', shown: 'country' },
    { key: 'is', label: 'field.issuer', shown: 'text' },
    { key: 'ci', label: 'field.certId', shown: 'identifier' },
  ],
  r: [
    { key: 'tg', label: 'field.disease', shown: 'code', set: 'disease' },
    { key: 'fr', label: 'field.firstPositive', shown: 'date' },
    { key: 'df', label: 'field.validFrom', shown: 'date' },
    { key: 'du', label: 'field.validUntil', shown: 'date' },
    { key: 'co', label: 'field.country', shown: 'country' },
    { key: 'is', label: 'field.issuer', shown: 'text' },
    { key: 'ci', label: 'field.certId', shown: 'identifier' },
  ],
};
