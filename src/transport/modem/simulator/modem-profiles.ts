/**
 * Modems as they behave, for the simulator: identity, defaults and the quirks their AT manuals
 * and their users report. "-like": the answers are shaped as the vendor's manual shows them, the
 * numbers (IMEI, firmware) are made up.
 *
 * - SIMCom SIM800 (2G, the common Arduino/Raspberry Pi board): echo on; after power-on "RDY",
 *   "+CFUN: 1", "+CPIN: ..." and a few seconds later "Call Ready", "SMS Ready"; until then the SIM
 *   is "NOT READY" and SMS commands fail (SIM800 AT manual V1.09, URC summary). AT+CNMI=? offers
 *   <ds> 0-1 only: status reports come as +CDS, never stored. No AT+CPINR: the PIN attempts
 *   left are in SIMCom's AT+SPIC.
 * - SIMCom SIM7600 (LTE): "+CGMR: " before the firmware version, "SMS DONE"/"PB DONE" after start,
 *   +CEREG for LTE registration.
 * - Quectel EC25 (LTE): "RDY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE" at start, the
 *   longest start-up here; AT+CNMI=? offers <ds> 0 and 2 only: status reports are stored (+CDSI).
 * - Huawei E173 (3G USB stick): "^RSSI", "^MODE", "^BOOT", "^DSFLOWRPT" notices at any time,
 *   also between the lines of an answer; AT+CNMI <mode> 2 is "reserved, not supported currently"
 *   in Huawei's manuals (mode 0/1 only), so a +CNMI=2,... is refused; ATI lists identity lines;
 *   no AT+CPINR: the PIN attempts left are in Huawei's AT^CPIN?.
 */

export type ModemProfileId = 'generic' | 'sim800' | 'sim7600' | 'ec25' | 'e173';

export interface CnmiSupport {
  mode: number[];
  mt: number[];
  bm: number[];
  ds: number[];
  bfr: number[];
}

export type RegistrationCommand = '+CREG' | '+CGREG' | '+CEREG';

export interface ModemProfile {
  id: ModemProfileId;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** SIM7600 answers AT+CGMR with "+CGMR: <revision>". */
  revisionPrefixed: boolean;
  /** ATI information lines. */
  ati: string[];
  /** Echo (ATE1) after power-on; most modems echo until told ATE0. */
  echo: boolean;
  /** Sent right after power-on ("+CPIN: <state>" is added from the SIM). */
  bootUrcs: string[];
  /** How long after power-on the SIM answers "+CPIN: NOT READY" and SMS commands +CMS ERROR 314. */
  startupMs: number;
  /** Sent when start-up is over ("SMS Ready"). */
  readyUrcs: string[];
  /** AT+CMGF modes: 0 PDU, 1 text. */
  smsModes: number[];
  charsets: string[];
  /** Message memories (AT+CPMS=?): the first is the default. */
  memories: string[];
  /** Where <ds>=2 stores status reports. */
  reportMemory: string;
  cnmi: CnmiSupport;
  registrationCommands: RegistrationCommand[];
  /** <AcT> in +COPS and +CREG: 0 GSM, 2 UTRAN, 7 E-UTRAN. */
  accessTechnology: number;
  /** Vendor notices that arrive at any time, also in the middle of a command's answer. */
  noise: string[];
  /** Answers AT+CPINR (PIN/PUK attempts left, TS 27.007 8.65); older modems do not. */
  pinRetries: boolean;
  /** The vendor's own command for the attempts left, where the modem has one (SIMCom AT+SPIC, Huawei AT^CPIN?). */
  pinCounter?: '+SPIC' | '^CPIN';
  /** Where a notice lands in an answer: before its first line, or after it (between a +CMGL header and its PDU). */
  noiseAt?: 'start' | 'inside';
  /** The vendor command that turns the notices off (Huawei AT^CURC=0). */
  noiseSwitch?: '^CURC';
  /** +CSMS <service> after power-on: 1 makes a +CMT/+CDS shown directly wait for AT+CNMA. */
  csms?: number;
  /** The notice when an SMS finds <mem3> full ("{mem}" is its name): Quectel +QIND: "smsfull", Huawei ^SMMEMFULL. */
  memoryFullUrc?: string;
  /** With <mem3> "MT", +CMTI names "MT" and the combined index (as some modems do) instead of "SM"/"ME". */
  announceMt?: boolean;
}

const ALL_CNMI: CnmiSupport = { mode: [0, 1, 2], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0, 1, 2], bfr: [0, 1] };

export const MODEM_PROFILES: Readonly<Record<ModemProfileId, ModemProfile>> = {
  generic: {
    id: 'generic',
    pinRetries: true,
    manufacturer: 'n8n-nodes-sms-gateway',
    model: 'GSM modem simulator',
    revision: '1.0',
    imei: '356938035643809',
    revisionPrefixed: false,
    ati: ['GSM modem simulator 1.0'],
    echo: true,
    bootUrcs: [],
    startupMs: 0,
    readyUrcs: [],
    smsModes: [0, 1],
    charsets: ['GSM', 'IRA', 'UCS2', '8859-1'],
    memories: ['SM', 'ME', 'MT'],
    reportMemory: 'SM',
    cnmi: ALL_CNMI,
    registrationCommands: ['+CREG', '+CGREG', '+CEREG'],
    accessTechnology: 2,
    noise: [],
  },
  sim800: {
    id: 'sim800',
    pinRetries: false,
    pinCounter: '+SPIC',
    manufacturer: 'SIMCOM_Ltd',
    model: 'SIMCOM_SIM800L',
    revision: 'Revision:1418B04SIM800L24',
    imei: '861234031234567',
    revisionPrefixed: false,
    ati: ['SIM800 R14.18'],
    echo: true,
    bootUrcs: ['RDY', '+CFUN: 1'],
    startupMs: 1500,
    readyUrcs: ['Call Ready', 'SMS Ready'],
    smsModes: [0, 1],
    charsets: ['IRA', 'GSM', 'UCS2', 'HEX', 'PCCP', 'PCDN', '8859-1'],
    memories: ['SM', 'ME', 'MT'],
    reportMemory: 'SM',
    cnmi: { mode: [0, 1, 2, 3], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0, 1], bfr: [0, 1] },
    registrationCommands: ['+CREG', '+CGREG'],
    accessTechnology: 0,
    noise: [],
  },
  sim7600: {
    id: 'sim7600',
    pinRetries: true,
    manufacturer: 'SIMCOM INCORPORATED',
    model: 'SIMCOM_SIM7600E-H',
    revision: 'LE20B04SIM7600M22',
    imei: '862345041234568',
    revisionPrefixed: true,
    ati: ['Manufacturer: SIMCOM INCORPORATED', 'Model: SIMCOM_SIM7600E-H', 'Revision: SIM7600M22_V2.0', 'IMEI: 862345041234568', '+GCAP: +CGSM'],
    echo: true,
    bootUrcs: ['RDY'],
    startupMs: 1500,
    readyUrcs: ['SMS DONE', 'PB DONE'],
    smsModes: [0, 1],
    charsets: ['IRA', 'GSM', 'UCS2'],
    memories: ['SM', 'ME', 'MT', 'SR'],
    reportMemory: 'SR',
    cnmi: ALL_CNMI,
    registrationCommands: ['+CREG', '+CGREG', '+CEREG'],
    accessTechnology: 7,
    noise: [],
  },
  ec25: {
    id: 'ec25',
    pinRetries: true,
    manufacturer: 'Quectel',
    model: 'EC25',
    revision: 'EC25EFAR06A06M4G',
    imei: '866758041234569',
    revisionPrefixed: false,
    ati: ['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G'],
    echo: true,
    bootUrcs: ['RDY', '+CFUN: 1'],
    startupMs: 2000,
    memoryFullUrc: '+QIND: "smsfull","{mem}"',
    readyUrcs: ['+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
    smsModes: [0, 1],
    charsets: ['GSM', 'IRA', 'UCS2'],
    memories: ['SM', 'ME', 'MT'],
    reportMemory: 'ME',
    cnmi: { mode: [0, 1, 2], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0, 2], bfr: [0, 1] },
    registrationCommands: ['+CREG', '+CGREG', '+CEREG'],
    accessTechnology: 7,
    noise: [],
  },
  e173: {
    id: 'e173',
    pinRetries: false,
    pinCounter: '^CPIN',
    manufacturer: 'huawei',
    model: 'E173',
    revision: '11.126.85.00.209',
    imei: '353142041234560',
    revisionPrefixed: false,
    ati: ['Manufacturer: huawei', 'Model: E173', 'Revision: 11.126.85.00.209', 'IMEI: 353142041234560', '+GCAP: +CGSM,+DS,+ES'],
    echo: true,
    bootUrcs: ['^BOOT:20495040,0,0,0,72'],
    startupMs: 500,
    readyUrcs: ['^SRVST:2', '^SIMST:1'],
    smsModes: [0, 1],
    charsets: ['IRA', 'GSM', 'UCS2'],
    memories: ['SM', 'ME'],
    reportMemory: 'SM',
    cnmi: { mode: [0, 1], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0, 1, 2], bfr: [0, 1] },
    registrationCommands: ['+CREG', '+CGREG'],
    accessTechnology: 2,
    noiseSwitch: '^CURC',
    memoryFullUrc: '^SMMEMFULL: "{mem}"',
    noise: ['^RSSI:17', '^MODE:5,4', '^DSFLOWRPT:0000000A,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800'],
  },
};

export const PROFILE_IDS = Object.keys(MODEM_PROFILES) as ModemProfileId[];

/** The real-modem profiles (every one but the plain test default). */
export const VENDOR_PROFILE_IDS: ModemProfileId[] = ['sim800', 'sim7600', 'ec25', 'e173'];

export function resolveProfile(id: ModemProfileId = 'generic', overrides: Partial<ModemProfile> = {}): ModemProfile {
  const base = MODEM_PROFILES[id];
  if (!base) throw new Error(`unknown modem profile "${id}" (one of ${PROFILE_IDS.join(', ')})`);
  return { ...base, ...overrides };
}
