import { REDACTED } from './limits';
import { applyPasses, type Gate, type NamedPass, regexPass } from './passes';

type Replacer = (match: string, ...groups: string[]) => string;

const MAX_LOCAL_CHARS = 64;
const MAX_LABEL_CHARS = 63;
const MAX_LABELS = 10;
const LETTER_OR_DIGIT = /^[\p{L}\p{M}\p{N}]$/u;
const TLD = /^(?:\p{L}{2,24}|xn--[a-z0-9-]{1,59})$/iu;

const isAsciiAlnum = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
const isUnicodeAlnum = (char: string): boolean => char.charCodeAt(0) > 127 && LETTER_OR_DIGIT.test(char);
const isLocalChar = (char: string): boolean =>
  isAsciiAlnum(char.charCodeAt(0)) || '._%+-'.includes(char) || isUnicodeAlnum(char);
const isLabelChar = (char: string): boolean =>
  isAsciiAlnum(char.charCodeAt(0)) || char === '-' || isUnicodeAlnum(char);

/** End of the domain after the `@` at `at`: its last label that is a top-level domain, or -1. */
function domainEnd(text: string, at: number): number {
  let end = -1;
  let start = at + 1;
  for (let labels = 0; labels < MAX_LABELS; labels++) {
    let i = start;
    while (i < text.length && i - start <= MAX_LABEL_CHARS && isLabelChar(text[i] ?? '')) i++;
    if (i === start || i - start > MAX_LABEL_CHARS) break;
    const next = text[i];
    if (labels > 0 && TLD.test(text.slice(start, i)) && !(next === '_' || isLabelChar(next ?? '.'))) end = i;
    if (next !== '.') break;
    start = i + 1;
  }
  return end;
}

/** Replaces email addresses, non-ASCII local parts and internationalized domains included, anchored on `@`. */
function redactEmails(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && at - start < MAX_LOCAL_CHARS && isLocalChar(text[start - 1] ?? '')) start--;
    if (start === at) continue;
    const end = domainEnd(text, at);
    if (end < 0) continue;
    out += text.slice(copied, start) + REDACTED;
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

const redactCard: Replacer = (match) => {
  const digits = match.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits) ? REDACTED : match;
};

const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

const redactIPv6: Replacer = (match) => {
  const halves = match.split('::');
  // Needing a digit keeps C++ scopes such as `a::b` out.
  if (halves.length > 2 || !/\d/.test(match)) return match;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => IPV6_GROUP.test(group))) return match;
  const valid =
    halves.length === 2 ? groups.length <= 7 && (groups.length >= 2 || match === '::1') : groups.length === 8;
  return valid ? REDACTED : match;
};

const redactInternationalPhone: Replacer = (match) => {
  const body = match.replace(/[ .()-]+$/, '');
  const digits = body.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15 ? REDACTED + match.slice(body.length) : match;
};

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

// A UK national number (`07700 900123`, `020 7946 0958`) has 10 or 11 digits after its leading 0.
const redactNationalPhone: Replacer = (match) => {
  const digits = match.replace(/\D/g, '').length;
  return digits === 10 || digits === 11 ? REDACTED : match;
};

/** The personal-data passes in order, each with a name. */
export const PERSONAL_PASSES: readonly NamedPass[] = [
  { name: 'email', apply: redactEmails },
  regexPass(
    'IPv4 address',
    new RegExp(`(?<![\\w.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?!\\w|\\.\\d)`, 'g'),
    REDACTED,
  ),
  regexPass('IPv6 address', /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?![\w:]|\.\d)/g, redactIPv6),
  regexPass(
    'US social security number',
    /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g,
    REDACTED,
  ),
  regexPass('card number', /(?<![\w-]|\d )\d(?:[ -]?\d){12,18}(?![\w-]|[ ]\d)/g, redactCard),
  regexPass('international phone', /(?<![\w+])\+(?:\d[ .()-]{0,2}){7,20}(?!\d)/g, redactInternationalPhone),
  regexPass(
    'US phone',
    /(?<![\w+(-])(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g,
    REDACTED,
  ),
  regexPass('bare US phone', /(?<![\w+.-])[2-9]\d\d[2-9]\d{6}(?![\w-]|\.\d)/g, REDACTED),
  regexPass(
    'UK national phone',
    /(?<![\w+.-])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w-]|[ .]\d)/g,
    redactNationalPhone,
  ),
];

const hasDigit = (text: string): boolean => /\d/.test(text);

/** Emails need `@`; every later personal pass (IP, SSN, card, phone) needs a digit. */
const PERSONAL_GATES: readonly Gate[] = [(text) => text.includes('@'), hasDigit];

/** Replaces emails, IP addresses, card numbers, US social security numbers and phone numbers in free text. */
export function redactPersonalData(text: string): string {
  return applyPasses(text, PERSONAL_PASSES, PERSONAL_GATES);
}
