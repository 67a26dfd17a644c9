import { describe, expect, it } from 'vitest';
import { BINARY_PLACEHOLDER, MIN_BINARY_CHARS } from '../src/pipeline/limits';
import { isBinaryString, isSecretKey, redactPersonalData, redactSecrets } from '../src/pipeline/redact';

const GITHUB_TOKEN = `ghp_${'aB3dE5gH7j'.repeat(3)}K9mN1p`;
const RANDOM_TOKEN = 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5';

describe('redactSecrets', () => {
  it.each([
    [
      'GET https://svc:hunter2@internal.test/doc?token=abc failed',
      'GET https://[redacted]@internal.test/doc?token=[redacted] failed',
    ],
    ['{"user":"ada","password":"hunter2"}', '{"user":"ada","password":"[redacted]"}'],
    [
      '{"user": "ada", "API_KEY": 12345, "flags": [1, "x"], "Token": true}',
      '{"user": "ada", "API_KEY": "[redacted]", "flags": [1, "x"], "Token": "[redacted]"}',
    ],
    ['{"secret": ["a", "b"], "n": 1}', '{"secret": "[redacted]", "n": 1}'],
    ['{"password": "hunt', '{"password": "[redacted]"'],
    ['{"password": "hunt\\', '{"password": "[redacted]"'],
    ['{"password": "a\\"b"}', '{"password": "[redacted]"}'],
    ['{"password": "cut here\n"next": 1', '{"password": "[redacted]"\n"next": 1'],
    ['key phc_abcdefghijklmnopqrstuvwx1234 used', 'key [redacted] used'],
    [
      'https://s3.test/k?X-Amz-Signature=abc123&X-Amz-Date=2020',
      'https://s3.test/k?X-Amz-Signature=[redacted]&X-Amz-Date=2020',
    ],
    ['https://a.test/cb#access_token=xyz&state=1', 'https://a.test/cb#access_token=[redacted]&state=1'],
    [
      'https://a.test/?sig=abc&x-goog-signature=def',
      'https://a.test/?sig=[redacted]&x-goog-signature=[redacted]',
    ],
    ['run with password=hunter2 now', 'run with password=[redacted] now'],
    ['Authorization: Bearer abc.def-123', 'Authorization: [redacted]'],
    ['curl -H "Authorization: Basic dXNlcjpwYXNz"', 'curl -H "Authorization: [redacted]"'],
    ['sent Bearer abcdef123456 upstream', 'sent Bearer [redacted] upstream'],
    ['Cookie: session=abc; theme=dark', 'Cookie: [redacted]'],
    ['aws AKIAIOSFODNN7EXAMPLE', 'aws [redacted]'],
    [`gh ${GITHUB_TOKEN}`, 'gh [redacted]'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '[redacted]'],
    ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe [redacted]'],
    ['openai sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz012345', 'openai [redacted]'],
    ['anthropic sk-ant-api03-Ab3dEfGhIjKlMnOpQrStUvWxYz0123', 'anthropic [redacted]'],
    ['slack xoxb-1234567890-abcdefghij', 'slack [redacted]'],
    ['google AIzaSyA1234567890abcdefghijklmnopqrstuv', 'google [redacted]'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefSIG', 'jwt [redacted]'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY----- done', '[redacted] done'],
    [
      '{"k": "-----BEGIN PRIVATE KEY-----\\nMIIEvg\\n-----END PRIVATE KEY-----\\n"}',
      '{"k": "[redacted]\\n"}',
    ],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE', '[redacted]'],
    [`random ${RANDOM_TOKEN} here`, 'random [redacted] here'],
  ])('redacts the credential in %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    'request id 0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f',
    'commit 3f786850e387550fdab836ed7e6dc881de23001b',
    `sha256 ${'ab12'.repeat(16)}`,
    'getUserProfileByIdentifierAndOrganizationName2',
    'src/components/UserProfileCard2/index.tsx',
    'k8sClusterResourceNameForProductionUs2',
    'HTTP2ServerPushConfigurationV3Enabled',
    'sk-learn-compatible-transformer-pipeline',
    'Basic usage instructions for the bearer of the token',
    'the token was refreshed at 2026-11-23 with version 1.2.3',
    'https://example.com/docs?page=2&q=flags',
    'sk-live-123',
  ])('leaves ordinary text %j unchanged', (input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it('redacts every credential in a long repetitive text', () => {
    const text = 'password=x '.repeat(3_000);
    expect(redactSecrets(text)).toBe('password=[redacted] '.repeat(3_000));
  });
});

describe('redactPersonalData', () => {
  it.each([
    ['mail ada@example.com now', 'mail [redacted] now'],
    ['from 10.0.0.1, then 192.168.1.254.', 'from [redacted], then [redacted].'],
    ['v6 2001:db8::1 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'v6 [redacted] and [redacted]'],
    ['link-local fe80::1%eth0', 'link-local [redacted]%eth0'],
    ['card 4111 1111 1111 1111 on file', 'card [redacted] on file'],
    ['card 4111-1111-1111-1111', 'card [redacted]'],
    ['card 378282246310005', 'card [redacted]'],
    ['ssn 123-45-6789', 'ssn [redacted]'],
    ['call +1 (415) 555-2671 today', 'call [redacted] today'],
    ['call +44 20 7946 0958', 'call [redacted]'],
    ['call +14155552671', 'call [redacted]'],
    ['call 415-555-2671 or (415) 555-2671 or 415.555.2671', 'call [redacted] or [redacted] or [redacted]'],
  ])('redacts the personal data in %j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    'uuid 0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f',
    'uuid 12345678-1234-1234-1234-123456789012',
    'on 2026-11-23 at 10:15:30',
    'at 2026-11-23T10:15:30Z',
    'version 1.2.3 of 42 items',
    'card-like 4111 1111 1111 1112 fails the Luhn check',
    'ssn-like 000-12-3456',
    'mac aa:bb:cc:dd:ee:ff',
    'c++ std::vector and a::b',
    'order 1234567 shipped',
    'user@localhost is local',
  ])('leaves %j unchanged', (input) => {
    expect(redactPersonalData(input)).toBe(input);
  });
});

describe('isSecretKey', () => {
  it.each([
    'authorization',
    'Authorization',
    'cookie',
    'Set-Cookie',
    'x-api-key',
    'X_API_KEY',
    'token',
    'PASSWORD',
    'secret',
    'api_key',
    'API-KEY',
    'apikey',
    'apiToken',
    'accessToken',
    'access_token',
    'refresh-token',
    'client_secret',
    'privateKey',
    'private_key',
    'api key',
    'sessionToken',
    'db_password',
    'userPassword',
    'passwd',
    'DB_PASSWD',
    'pwd',
    'auth_token',
    'x-auth-token',
    'session_token',
    'id_token',
    'ID_TOKEN',
    'secret_key',
    'aws_secret_access_key',
    'AWS_SECRET_ACCESS_KEY',
    'api_secret',
    'proxy-authorization',
    'x-csrf-token',
    'X-XSRF-TOKEN',
    'csrftoken',
    'password ',
    ' Password',
    'spring.datasource.password',
    'DATABASE_PASSWORD',
    'smtp.password',
    'oauth2_token',
    'password2',
    'clientSecret',
    'APIKey',
    'x-apikey',
    'GITHUB_TOKEN',
    'credentials',
    'google_credential',
    'passphrase',
    'ssh-passphrase',
    'auth',
    'basic_auth',
    'cookies',
    'session_cookie',
    'private key',
    'secret_santa',
  ])('treats %j as a secret key', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'tokens',
    'token_count',
    'secretary',
    'password_hint',
    'key',
    'author',
    'max_tokens',
    'tokens_used',
    'maxTokens',
    'input_tokens',
    'password_policy_url',
    'secret_santa_id',
    'token_type',
    'tokenType',
    'token_expires_at',
    'keyboard',
    'monkey',
    'tokenizer',
    'authority',
    'oauth',
    'auth_method',
    'authorName',
    'cookie_consent',
    'secret_name',
    'password_min_length',
    'aws_access_key_id',
    'passage',
    'bypass',
    'compass',
    'keystroke',
    'session_id',
    `${'x'.repeat(129)}_password`,
  ])('does not treat %j as a secret key', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('isBinaryString', () => {
  const base64 = 'QUJD'.repeat(MIN_BINARY_CHARS / 4);
  it.each([
    ['long base64', base64, true],
    ['long base64 with padding', `${base64}QQ==`, true],
    ['long base64url', 'ab-_'.repeat(MIN_BINARY_CHARS / 4), true],
    ['a base64 data URL', 'data:image/png;base64,iVBORw0KGgo=', true],
    ['an upper-case data URL', 'DATA:image/png;BASE64,iVBORw0KGgo=', true],
    ['short base64', 'QUJD'.repeat(100), false],
    ['long base64 with a space at the start', ` ${base64}`, false],
    ['long base64 with prose at the end', `${base64} and more`, false],
    ['a plain data URL', 'data:text/plain,hello', false],
    ['long prose', 'hello world '.repeat(1_000), false],
  ])('classifies %s', (_label, input, expected) => {
    expect(isBinaryString(input)).toBe(expected);
  });

  it('uses a placeholder that names the reason', () => {
    expect(BINARY_PLACEHOLDER).toBe('[binary data redacted - not supported by PostHog MCP analytics]');
  });
});
