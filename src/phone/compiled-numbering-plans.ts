/**
 * A fast path for numbers written in full international form ('+' and digits), and for national
 * numbers with a default country: the verdict of libphonenumber-js/max, on patterns compiled once
 * per country.
 *
 * Why hand-written: libphonenumber-js builds a new RegExp from the metadata's pattern text on
 * every match (its helpers/matchesEntirely.js), about ten per validated number. A
 * 100,000-recipient broadcast spent 45% of its CPU parsing and validating numbers, 30% in that
 * one function. This module reads the same metadata through the library's own `Metadata` class,
 * compiles each pattern once, and follows the library's steps where they reduce to "calling code
 * (or national prefix) -> country -> pattern match". It answers only "valid" (with the country);
 * every other input, and every number it does not find valid, goes to the library, which also
 * words the errors.
 * test/phone/compiled-numbering-plans.test.ts checks it agrees with the library.
 */
import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';

// The library's Metadata class, as far as we read it (its .d.ts declares almost none of it).
interface LibraryNumberType {
  pattern(): string | 0 | undefined;
  possibleLengths(): number[] | undefined;
}
interface LibraryNumberingPlan {
  callingCode(): string;
  IDDPrefix(): string | 0 | undefined;
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | 0 | undefined;
  leadingDigits(): string | 0 | undefined;
  hasTypes(): boolean;
  type(name: string): LibraryNumberType | undefined;
}
interface LibraryMetadata {
  numberingPlan: LibraryNumberingPlan;
  selectNumberingPlan(countryOrCallingCode: string): void;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
}

/** The library's constants (libphonenumber-js/source/constants.js). */
const MIN_LENGTH_FOR_NSN = 2;
const MAX_LENGTH_FOR_NSN = 17;
const MAX_LENGTH_COUNTRY_CODE = 3;

/** The order in which getNumberType tries the types after FIXED_LINE (helpers/getNumberType.js). */
const NON_FIXED_LINE_TYPES = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface CompiledType {
  pattern: RegExp;
  lengths: number[] | undefined;
}

interface CompiledPlan {
  callingCode: string;
  /** The international call prefix dialled from this country ('00', '011', ...). */
  iddPrefix: RegExp | undefined;
  nationalNumber: RegExp;
  prefixForParsing: RegExp | undefined;
  leadingDigits: RegExp | undefined;
  hasTypes: boolean;
  fixedLine: CompiledType | undefined;
  /** Whether the metadata declares MOBILE at all, and with an empty pattern ("same as fixed line"). */
  mobileDeclared: boolean;
  mobileDeclaredEmpty: boolean;
  mobile: CompiledType | undefined;
  others: Array<[string, CompiledType]>;
}

/** Calling code -> its countries, main one first (as the library lists them). */
interface CallingCodeEntry {
  countries: string[];
}

const entire = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

export class CompiledNumberingPlans {
  private readonly metadata = new (Metadata as unknown as new (json: unknown) => LibraryMetadata)(metadataJson);
  private readonly plans = new Map<string, CompiledPlan>();
  private readonly callingCodes = new Map<string, CallingCodeEntry | null | undefined>();

  /**
   * '+' + digits is valid for libphonenumber-js/max: the same digits and the country (undefined
   * when the calling code's countries do not say which one); null when the library must decide.
   */
  validInternational(digits: string): { digits: string; country: string | undefined } | null {
    if (digits.length < 3 || digits.charCodeAt(0) === 48 /* '0' */) return null;
    const split = this.splitCallingCode(digits);
    if (!split) return null;
    const found = this.validNational(split.national, split.countries);
    return found ? { digits, country: found.country } : null;
  }

  /**
   * Digits written nationally (no '+' or '00') with a default country: the E.164 digits and the
   * country when libphonenumber-js/max finds the number valid; null when the library must decide.
   * Answered only when the library's steps reduce to "strip the national prefix, then match":
   * not for digits that start with the country's international call prefix or calling code (the
   * library may read those as international), nor for national prefixes it rewrites with a
   * transform rule (Argentina, Jersey, ...).
   */
  validNationalInput(digits: string, defaultCountry: string): { digits: string; country: string } | null {
    if (digits.length < 3) return null;
    const home = this.plan(defaultCountry);
    if (home.iddPrefix?.test(digits) || digits.startsWith(home.callingCode)) return null;
    let national = digits;
    const prefix = home.prefixForParsing?.exec(digits);
    if (prefix && prefix[0].length > 0) {
      if (prefix.slice(1).some((group) => group)) return null;
      national = digits.slice(prefix[0].length);
      // The library keeps the prefix when the number only fits its pattern with it.
      if (!home.nationalNumber.test(national)) return null;
    }
    if (national.length < MIN_LENGTH_FOR_NSN || national.length > MAX_LENGTH_FOR_NSN) return null;
    const entry = this.callingCode(home.callingCode);
    if (!entry) return null;
    // For national input the library keeps the default country when no country of the calling code claims the number.
    const country = this.countryOf(national, entry.countries) ?? defaultCountry;
    return this.isValidIn(this.plan(country), national) ? { digits: home.callingCode + national, country } : null;
  }

  /** The library's number type for a number this class found valid ('MOBILE', 'FIXED_LINE', ...). */
  typeOf(digits: string, country: string | undefined): string | undefined {
    const split = this.splitCallingCode(digits);
    return split ? this.numberType(this.plan(country ?? split.countries[0]), split.national) : undefined;
  }

  /**
   * helpers/extractCountryCallingCode.js: the first 1-3 digits that are a calling code, and what
   * follows; null for none or a non-geographic one (+800, +882, ...: rare, left to the library).
   */
  private splitCallingCode(digits: string): { countries: string[]; national: string } | null {
    for (let length = 1; length <= MAX_LENGTH_COUNTRY_CODE && length < digits.length; length++) {
      const entry = this.callingCode(digits.slice(0, length));
      if (entry === undefined) continue;
      return entry ? { countries: entry.countries, national: digits.slice(length) } : null;
    }
    return null;
  }

  private validNational(nationalNumber: string, countries: string[]): { country: string | undefined } | null {
    // The library strips a national prefix (e.g. GB '0', or '180020') with the calling code's
    // main numbering plan when its pattern matches at the start: we leave such numbers to it.
    // (Some patterns can match nothing, e.g. Argentina's: an empty match strips nothing.)
    const main = this.plan(countries[0]);
    const prefix = main.prefixForParsing?.exec(nationalNumber);
    if (prefix && prefix[0].length > 0) return null;
    if (nationalNumber.length < MIN_LENGTH_FOR_NSN || nationalNumber.length > MAX_LENGTH_FOR_NSN) return null;
    const country = this.countryOf(nationalNumber, countries);
    return this.isValidIn(country ? this.plan(country) : main, nationalNumber) ? { country } : null;
  }

  /** isValid.js: a plan with number types needs a type; one without, its national number pattern. */
  private isValidIn(plan: CompiledPlan, nationalNumber: string): boolean {
    return plan.hasTypes ? this.numberType(plan, nationalNumber) !== undefined : plan.nationalNumber.test(nationalNumber);
  }

  /**
   * helpers/getCountryByCallingCode.js: the only country of the calling code, or (when several
   * share it, getCountryByNationalNumber.js) the first whose leading digits or types match.
   */
  private countryOf(nationalNumber: string, countries: string[]): string | undefined {
    if (countries.length === 1) return countries[0];
    for (const country of countries) {
      const plan = this.plan(country);
      if (plan.leadingDigits) {
        if (nationalNumber.search(plan.leadingDigits) === 0) return country;
      } else if (this.numberType(plan, nationalNumber) !== undefined) {
        return country;
      }
    }
    return undefined;
  }

  /** helpers/getNumberType.js on compiled patterns. */
  private numberType(plan: CompiledPlan, nationalNumber: string): string | undefined {
    if (!plan.nationalNumber.test(nationalNumber)) return undefined;
    if (plan.fixedLine && isOfType(nationalNumber, plan.fixedLine)) {
      if (!plan.mobileDeclared || plan.mobileDeclaredEmpty) return 'FIXED_LINE_OR_MOBILE';
      if (plan.mobile && isOfType(nationalNumber, plan.mobile)) return 'FIXED_LINE_OR_MOBILE';
      return 'FIXED_LINE';
    }
    if (plan.mobile && isOfType(nationalNumber, plan.mobile)) return 'MOBILE';
    for (const [name, type] of plan.others) if (isOfType(nationalNumber, type)) return name;
    return undefined;
  }

  /** undefined: not a calling code; null: a non-geographic one. */
  private callingCode(code: string): CallingCodeEntry | null | undefined {
    const known = this.callingCodes.get(code);
    if (known !== undefined || this.callingCodes.has(code)) return known;
    const countries = this.metadata.getCountryCodesForCallingCode(code);
    let entry: CallingCodeEntry | null | undefined;
    if (countries && countries.length > 0) entry = { countries };
    else entry = hasNonGeographic(code) ? null : undefined;
    this.callingCodes.set(code, entry);
    return entry;
  }

  private plan(country: string): CompiledPlan {
    let plan = this.plans.get(country);
    if (!plan) {
      plan = this.compile(country);
      this.plans.set(country, plan);
    }
    return plan;
  }

  private compile(country: string): CompiledPlan {
    this.metadata.selectNumberingPlan(country);
    const source = this.metadata.numberingPlan;
    const typeOf = (name: string): CompiledType | undefined => {
      const type = source.hasTypes() ? source.type(name) : undefined;
      const pattern = type?.pattern();
      return type && pattern ? { pattern: entire(pattern), lengths: type.possibleLengths() } : undefined;
    };
    const prefix = source.nationalPrefixForParsing();
    const leading = source.leadingDigits();
    const mobileType = source.hasTypes() ? source.type('MOBILE') : undefined;
    const idd = source.IDDPrefix();
    return {
      callingCode: source.callingCode(),
      iddPrefix: idd ? new RegExp(`^(?:${idd})`) : undefined,
      nationalNumber: entire(source.nationalNumberPattern()),
      prefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
      leadingDigits: leading ? new RegExp(leading) : undefined,
      hasTypes: source.hasTypes(),
      fixedLine: typeOf('FIXED_LINE'),
      mobileDeclared: mobileType !== undefined,
      mobileDeclaredEmpty: mobileType !== undefined && mobileType.pattern() === '',
      mobile: typeOf('MOBILE'),
      others: NON_FIXED_LINE_TYPES.slice(1).flatMap((name): Array<[string, CompiledType]> => {
        const type = typeOf(name);
        return type ? [[name, type]] : [];
      }),
    };
  }
}

/** helpers/getNumberType.js isNumberTypeEqualTo: the length first, then the pattern. */
function isOfType(nationalNumber: string, type: CompiledType): boolean {
  if (type.lengths && type.lengths.indexOf(nationalNumber.length) < 0) return false;
  return type.pattern.test(nationalNumber);
}

function hasNonGeographic(code: string): boolean {
  const json = metadataJson as unknown as { nonGeographic?: Record<string, unknown> };
  return json.nonGeographic?.[code] !== undefined;
}

/** One per process: the compiled patterns are shared by every caller. */
export const compiledNumberingPlans = new CompiledNumberingPlans();
