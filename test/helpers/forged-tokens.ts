import { TEN_MB } from './hardening-hostile';

const toBase64Url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const bytesToBase64Url = (bytes: number[]): string => Buffer.from(bytes).toString('base64url');

/** Session values that are not a session token: forged, oversized, malformed, non-UTF-8 and JWT-shaped. */
export const NOT_TOKENS: [string, string][] = [
  ['a plain session id', 'mcp-session-123'],
  ['a UUID', '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f'],
  ['a JWT', `${toBase64Url('{"alg":"HS256"}')}.${toBase64Url('{"sid":"s"}')}.c2ln`],
  ['the standard base64 alphabet with /', Buffer.from('{"sid":"s???"}').toString('base64')],
  ['the standard base64 alphabet with +', Buffer.from('{"sid":"ses~~~"}').toString('base64')],
  ['the empty string', ''],
  ['padding alone', '===='],
  ['padding in the middle', `${toBase64Url('{"sid":"s"}').slice(0, 4)}=${toBase64Url('{"sid":"s"}')}`],
  ['too much padding', `${toBase64Url('{"sid":"ses_ab"}')}====`],
  ['padding to a wrong length', `${toBase64Url('{"sid":"ses_ab"}')}=`],
  ['an impossible length', 'eyJzaWQiOiJzIn0x1'],
  ['whitespace', ` ${toBase64Url('{"sid":"s"}')}`],
  ['JSON that is not an object', toBase64Url('["s"]')],
  ['JSON null', toBase64Url('null')],
  ['a JSON string', toBase64Url('"ses_abc"')],
  ['text that is not JSON', toBase64Url('sid=ses_abc')],
  ['an empty sid', toBase64Url('{"sid":""}')],
  ['a sid of 129 characters', toBase64Url(JSON.stringify({ sid: 'x'.repeat(129) }))],
  ['a sid that is a number', toBase64Url('{"sid":42}')],
  ['a sid that is an object', toBase64Url('{"sid":{"a":1}}')],
  ['no sid', toBase64Url('{"cn":"n"}')],
  [
    'bytes that are not UTF-8',
    bytesToBase64Url([0x7b, 0x22, 0x73, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
  ],
  ['a forged alphabet', 'eyJzaWQiOiJz!n0'],
  ['an array of payloads', toBase64Url('[{"sid":"abc"}]')],
  ['a __proto__ sid', toBase64Url('{"__proto__":{"sid":"inherited"}}')],
  [
    'a token of 4,097 characters',
    toBase64Url(JSON.stringify({ sid: 'a', cn: 'c'.repeat(3_100) })).padEnd(4_097, 'A'),
  ],
  ['ten megabytes', TEN_MB],
  ['a lone surrogate', '\uD800'],
  ['standard base64 characters after a token', `${toBase64Url('{"sid":"abc"}')}+/`],
  ['whitespace around a token', ` ${toBase64Url('{"sid":"abc"}')} `],
];
