// Display names for the codes of the EU DCC value sets that a certificate commonly carries,
// written for this page (English and Vietnamese). A code that is not here is shown as it is.
// Product and company names are proper names and read the same in both languages.

const same = (name) => ({ en: name, vi: name });

/** Disease or agent targeted (`tg`). */
const disease = {
  '840539006': same('COVID-19'),
};

/** Vaccine or prophylaxis type (`vp`). */
const prophylaxis = {
  '1119349007': { en: 'mRNA vaccine against SARS-CoV-2', vi: 'Vắc-xin mRNA phòng SARS-CoV-2' },
  '1119305005': { en: 'Antigen vaccine against SARS-CoV-2', vi: 'Vắc-xin kháng nguyên phòng SARS-CoV-2' },
  '1162643001': { en: 'Recombinant spike protein vaccine against SARS-CoV-2', vi: 'Vắc-xin protein gai tái tổ hợp phòng SARS-CoV-2' },
  '1157024006': { en: 'Inactivated whole-virus vaccine against SARS-CoV-2', vi: 'Vắc-xin bất hoạt toàn phần phòng SARS-CoV-2' },
  '29061000087103': { en: 'Non-replicating viral vector vaccine against COVID-19', vi: 'Vắc-xin vec-tơ vi-rút không sao chép phòng COVID-19' },
  '28531000087107': { en: 'COVID-19 vaccine', vi: 'Vắc-xin COVID-19' },
  '30141000087107': { en: 'Virus-like particle vaccine against SARS-CoV-2', vi: 'Vắc-xin dạng hạt giống vi-rút phòng SARS-CoV-2' },
  '1187593009': { en: 'DNA plasmid vaccine against SARS-CoV-2', vi: 'Vắc-xin DNA plasmid phòng SARS-CoV-2' },
  'J07BX03': { en: 'COVID-19 vaccine', vi: 'Vắc-xin COVID-19' },
};

/** Vaccine medicinal product (`mp`). */
const product = {
  'EU/1/20/1528': same('Comirnaty (BioNTech/Pfizer)'),
  'EU/1/20/1507': same('Spikevax (Moderna)'),
  'EU/1/21/1529': same('Vaxzevria (AstraZeneca)'),
  'EU/1/20/1525': same('Jcovden (Janssen)'),
  'EU/1/21/1618': same('Nuvaxovid (Novavax)'),
  'EU/1/21/1624': same('COVID-19 Vaccine Valneva'),
  'EU/1/21/1580': same('VidPrevtyn Beta (Sanofi)'),
  'EU/1/22/1709': same('Bimervax (Hipra)'),
  'CVnCoV': same('CVnCoV (CureVac)'),
  'NVX-CoV2373': same('NVX-CoV2373 (Novavax)'),
  'Sputnik-V': same('Sputnik V'),
  'Sputnik-Light': same('Sputnik Light'),
  'Sputnik-M': same('Sputnik M'),
  'Convidecia': same('Convidecia (CanSino)'),
  'EpiVacCorona': same('EpiVacCorona'),
  'EpiVacCorona-N': same('EpiVacCorona-N'),
  'BBIBP-CorV': same('BBIBP-CorV (Sinopharm)'),
  'WIBP-CorV': same('WIBP-CorV (Sinopharm)'),
  'Inactivated-SARS-CoV-2-Vero-Cell': same('Inactivated SARS-CoV-2 (Vero Cell)'),
  'CoronaVac': same('CoronaVac (Sinovac)'),
  'Covaxin': same('Covaxin (Bharat Biotech)'),
  'Covishield': same('Covishield (Serum Institute of India)'),
  'Covovax': same('Covovax (Serum Institute of India)'),
  'Covid-19-recombinant': same('COVID-19 (recombinant)'),
  'R-COVI': same('R-COVI'),
  'CoviVac': same('CoviVac'),
  'Hayat-Vax': same('Hayat-Vax'),
  'Abdala': same('Abdala'),
  'Soberana-02': same('Soberana 02'),
  'Soberana-Plus': same('Soberana Plus'),
  'MVC-COV1901': same('MVC COVID-19 vaccine (Medigen)'),
  'Covid-19-adsorvida-inativada': same('Vacina adsorvida covid-19 (inativada)'),
  'NVSI-06-08': same('NVSI-06-08'),
  'YS-SC2-010': same('YS-SC2-010'),
  'SCTV01C': same('SCTV01C'),
  'Covifenz': same('Covifenz (Medicago)'),
  'AZD2816': same('AZD2816 (AstraZeneca)'),
  'Vidprevtyn': same('Vidprevtyn (Sanofi)'),
  'VLA2001': same('VLA2001 (Valneva)'),
};

/** Marketing authorisation holder or manufacturer (`ma` of a vaccination). */
const manufacturer = {
  'ORG-100030215': same('BioNTech Manufacturing GmbH'),
  'ORG-100031184': same('Moderna Biotech Spain S.L.'),
  'ORG-100001699': same('AstraZeneca AB'),
  'ORG-100001417': same('Janssen-Cilag International'),
  'ORG-100032020': same('Novavax CZ a.s.'),
  'ORG-100006270': same('CureVac AG'),
  'ORG-100013793': same('CanSino Biologics'),
  'ORG-100020693': same('China Sinopharm International Corp. (Beijing)'),
  'ORG-100010771': same('Sinopharm Weiqida Europe Pharmaceutical (Prague)'),
  'ORG-100024420': same('Sinopharm Zhijun Pharmaceutical (Shenzhen)'),
  'ORG-100001981': same('Serum Institute of India'),
  'ORG-100007893': same('R-Pharm CJSC'),
  'ORG-100023050': same('Gulf Pharmaceutical Industries'),
  'ORG-100033914': same('Medigen Vaccine Biologics'),
  'ORG-100000788': same('Sanofi Pasteur'),
  'ORG-100036422': same('Valneva France'),
  'ORG-100026614': same('Sinocelltech'),
  'ORG-100008549': same('Medicago'),
  'ORG-100036914': same('Hipra Human Health'),
  'Gamaleya-Research-Institute': same('Gamaleya Research Institute'),
  'Vector-Institute': same('Vector Institute'),
  'Sinovac-Biotech': same('Sinovac Biotech'),
  'Bharat-Biotech': same('Bharat Biotech'),
  'Fiocruz': same('Fiocruz'),
  'Chumakov-Federal-Scientific-Center': same('Chumakov Federal Scientific Center'),
  'CIGB': same('Center for Genetic Engineering and Biotechnology (CIGB)'),
  'Sinopharm-WIBP': same('Sinopharm, Wuhan Institute of Biological Products'),
  'Instituto-Butantan': same('Instituto Butantan'),
  'NVSI': same('National Vaccine and Serum Institute (China)'),
  'Yisheng-Biopharma': same('Yisheng Biopharma'),
  'Finlay-Institute': same('Finlay Vaccine Institute'),
};

/** Type of test (`tt`). */
const testType = {
  'LP6464-4': { en: 'NAAT (molecular test, e.g. PCR)', vi: 'Xét nghiệm khuếch đại axit nucleic (ví dụ PCR)' },
  'LP217198-3': { en: 'Rapid antigen test', vi: 'Xét nghiệm nhanh kháng nguyên' },
};

/** Test result (`tr`). */
const testResult = {
  '260415000': { en: 'Not detected (negative)', vi: 'Không phát hiện (âm tính)' },
  '260373001': { en: 'Detected (positive)', vi: 'Phát hiện (dương tính)' },
};

export const VALUE_SETS = { disease, prophylaxis, product, manufacturer, testType, testResult };

/**
 * The display name of `code` in value set `set` for language `lang`; the code itself when it is
 * not in the table (a newer code, or one this page does not know).
 */
export function displayName(set, code, lang) {
  if (code === undefined || code === null || code === '') return '';
  const entry = Object.hasOwn(VALUE_SETS[set] ?? {}, code) ? VALUE_SETS[set][code] : null;
  return entry ? (entry[lang] ?? entry.en) : String(code);
}
