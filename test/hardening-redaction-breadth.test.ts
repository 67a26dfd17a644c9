import { describe, expect, it } from 'vitest';
import { REDACTED } from '../src/pipeline/limits';
import { isSecretKey, redactPersonalData, redactSecrets } from '../src/pipeline/redact';
import { useIngestionServer } from './helpers/wire.js';

const wire = useIngestionServer();

/** Key names that hold a credential: compound, padded, camelCase, dotted, prefixed and suffixed. */
const SECRET_KEYS = [
  'db_password',
  'userPassword',
  'passwd',
  'auth_token',
  'x-auth-token',
  'session_token',
  'id_token',
  'secret_key',
  'aws_secret_access_key',
  'api_secret',
  'proxy-authorization',
  'x-csrf-token',
  'password ',
  'DATABASE_PASSWORD',
  'spring.datasource.password',
  'MYSQL_ROOT_PASSWORD',
  'refreshToken',
  'X-Api-Key',
  'client-secret',
  'gitlab.private_token',
];

/** Key names that only talk about credentials, or merely contain their letters. */
const ORDINARY_KEYS = [
  'token_count',
  'max_tokens',
  'tokens_used',
  'password_policy_url',
  'secret_santa_id',
  'author',
  'keyboard',
  'monkey',
  'tokenizer',
  'token_type',
  'password_min_length',
];

const VALUE = 'hunter2Zq9';

/** Every way text writes a key and its value; `%k` is the key. */
const FORMS: [string, string][] = [
  ['a JSON member', '{"%k":"hunter2Zq9","n":1}'],
  ['a spaced JSON member', '{ "%k" : "hunter2Zq9" }'],
  ['an escaped JSON member', '{\\"%k\\":\\"hunter2Zq9\\"}'],
  ['a Python dict member', "{'%k': 'hunter2Zq9'}"],
  ['a header line', '%k: hunter2Zq9'],
  ['an indented YAML line', 'db:\n  %k: hunter2Zq9\n  port: 5432'],
  ['a YAML list item', '- %k: "hunter2Zq9"'],
  ['an .env line', 'DEBUG=1\n%k=hunter2Zq9\nPORT=3000'],
  ['an exported .env line', 'export %k="hunter2Zq9"'],
  ['a properties line with spaces', '%k = hunter2Zq9'],
  ['a curl header in single quotes', "curl -H '%k: hunter2Zq9' https://api.test"],
  ['a curl header in double quotes', 'curl -H "%k: hunter2Zq9" https://api.test'],
  ['a query field', 'GET https://api.test/cb?state=1&%k=hunter2Zq9&x=2'],
  ['a fragment field', 'https://app.test/#%k=hunter2Zq9'],
  ['an assignment in source', 'const %k = "hunter2Zq9";'],
  ['an assignment mid-line', 'ran with %k=hunter2Zq9 and more'],
];

const keyFits = (key: string, form: string): boolean =>
  !key.includes(' ') || form.includes('"%k"') || form.includes("'%k'") || form.includes('\\"%k\\"');

describe('the secret-key rule', () => {
  it.each(SECRET_KEYS)('%j names a secret', (key) => expect(isSecretKey(key)).toBe(true));
  it.each(ORDINARY_KEYS)('%j does not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('secret-named keys are redacted in every textual form', () => {
  it.each(FORMS)('in %s', (_, form) => {
    const leaks = SECRET_KEYS.filter((key) => keyFits(key, form)).filter((key) =>
      redactSecrets(form.replaceAll('%k', key)).includes(VALUE),
    );
    expect(leaks).toEqual([]);
  });

  it.each(FORMS)('ordinary keys keep their value in %s', (_, form) => {
    const lost = ORDINARY_KEYS.filter((key) => !redactSecrets(form.replaceAll('%k', key)).includes(VALUE));
    expect(lost).toEqual([]);
  });

  it.each([
    [
      'a cookie header mid-line',
      'curl -H "Cookie: session=abc; theme=dark" -v',
      'curl -H "Cookie: [redacted]" -v',
    ],
    [
      'a properties value with spaces',
      'spring.datasource.password=my secret phrase\nx=1',
      'spring.datasource.password=[redacted]\nx=1',
    ],
    ['two assignments on one line', 'A=1 PASSWORD=hunter2 B=2 cmd', 'A=1 PASSWORD=[redacted] B=2 cmd'],
    [
      'a nested JSON value',
      '{"token": {"type": "bearer", "value": "s3cr3t"}, "n": 1}',
      '{"token": "[redacted]", "n": 1}',
    ],
    ['a comparison', 'if (password === "hunter2")', 'if (password === "[redacted]")'],
    [
      'a mid-line header with a scheme',
      'sent Authorization: Bearer abc.def upstream',
      'sent Authorization: [redacted] upstream',
    ],
    [
      'a signed URL',
      'https://s3.test/k?X-Amz-Signature=abc123&X-Amz-Date=2020',
      'https://s3.test/k?X-Amz-Signature=[redacted]&X-Amz-Date=2020',
    ],
  ])('%s', (_, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});

describe('personal data in free text, beyond ASCII and US formats', () => {
  it.each([
    ['josé.garcía@example.com wrote', `${REDACTED} wrote`],
    ['from Zoë <zoë.brontë@bücher.de>', `from Zoë <${REDACTED}>`],
    ['mail 用户@例子.广告 now', `mail ${REDACTED} now`],
    ['ivan@пример.рф', REDACTED],
    ['a@xn--mnchen-3ya.de', REDACTED],
    ['call 07700 900123 today', `call ${REDACTED} today`],
    ['office 020 7946 0958.', `office ${REDACTED}.`],
    ['Manchester 0161 496 0000', `Manchester ${REDACTED}`],
    ['mobile 07700900123', `mobile ${REDACTED}`],
    ['call 4155552671 now', `call ${REDACTED} now`],
  ])('%j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    'unix time 1700000000',
    'order 1234567 shipped',
    'version 10.20.30',
    'price 0.99 EUR',
    'id 019a3b2c-7d4e',
    'user@localhost',
  ])('leaves %j alone', (input) => {
    expect(redactPersonalData(input)).toBe(input);
  });
});

describe('on the wire', () => {
  it('compound secret keys in arguments and results are redacted, ordinary ones kept', async () => {
    const client = wire.client();
    const record = Object.fromEntries([...SECRET_KEYS, ...ORDINARY_KEYS].map((key) => [key, VALUE]));
    const call = client.prepareToolCall('connect', { config: record, text: JSON.stringify(record) });
    client.completeToolCall(call, { result: { content: [{ type: 'text', text: `DB_PASSWORD=${VALUE}` }] } });
    await client.shutdown();
    const event = wire.server.eventsNamed('$mcp_tool_call')[0]!;
    type Sent = { request: { params: { arguments: { config: Record<string, unknown>; text: string } } } };
    const parameters = (event.properties.$mcp_parameters as Sent).request.params.arguments;
    for (const key of SECRET_KEYS) expect(parameters.config[key]).toBe(REDACTED);
    for (const key of ORDINARY_KEYS) expect(parameters.config[key]).toBe(VALUE);
    expect(parameters.text.split(VALUE)).toHaveLength(ORDINARY_KEYS.length + 1);
    expect(JSON.stringify(event.properties.$mcp_response)).not.toContain(VALUE);
  });

  it('feedback extras of array or object type get the same personal-data pass as strings', async () => {
    const client = wire.client({
      collectFeedback: {
        extraProperties: { contacts: { type: 'array' }, owner: { type: 'object' }, note: { type: 'string' } },
      },
    });
    client.captureFeedback({
      report: {
        feedbackType: 'issue',
        summary: 'export failed',
        extras: {
          contacts: ['josé.garcía@example.com', '07700 900123'],
          owner: { email: 'ada@example.com', phone: '+44 20 7946 0958', ip: '10.1.2.3' },
          note: 'ask ada@example.com',
        },
        raw: {},
      },
    });
    await client.shutdown();
    const [event] = wire.server.eventsNamed('$mcp_feedback');
    const text = JSON.stringify(event?.properties);
    for (const needle of ['josé', '07700', 'ada@example.com', '7946', '10.1.2.3'])
      expect(text).not.toContain(needle);
    expect(event?.properties.$mcp_feedback_contacts).toBe(`["${REDACTED}","${REDACTED}"]`);
  });
});
