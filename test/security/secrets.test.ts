import { describe, expect, it } from 'vitest';
import { ConfigSchema, TargetSchema, type Target } from '../../shared/config-schema';
import {
  configSecrets,
  maskConfig,
  maskTarget,
  maskUrl,
  restoreSecrets,
  SECRET_MASK,
} from '../../shared/secrets';

const http = TargetSchema.parse({
  id: 'api',
  name: 'API',
  kind: 'http',
  url: 'https://bot:s3cret-pass@api.example.com/health?api_key=k3y-123&verbose=1',
  headers: { Authorization: 'Bearer tok-abc', 'X-Trace': 'trace-on-1' },
}) as Extract<Target, { kind: 'http' }>;

describe('secrets', () => {
  it('masks URL passwords and credential-like query values, and nothing else', () => {
    expect(maskUrl(http.url)).toBe(
      `https://bot:${SECRET_MASK}@api.example.com/health?api_key=${SECRET_MASK}&verbose=1`,
    );
    expect(maskUrl('http://127.0.0.1:8080/health')).toBe('http://127.0.0.1:8080/health');
    expect(maskUrl('not a url')).toBe(SECRET_MASK);
  });

  it('masks every secret of a config, and the masked config holds none of them', () => {
    const cfg = ConfigSchema.parse({
      targets: [
        http,
        {
          id: 'prom',
          name: 'P',
          kind: 'prometheus',
          url: 'http://prom:9090',
          query: 'up',
          bearerToken: 'bearer-xyz',
        },
      ],
      alerts: {
        webhooks: [
          {
            url: 'https://hooks.slack.com/services/T0/B0/hook-secret',
            headers: { 'X-Sig': 'sig-1234' },
          },
        ],
      },
    });
    const secrets = configSecrets(cfg);
    expect(secrets).toEqual(
      expect.arrayContaining([
        's3cret-pass',
        'k3y-123',
        'Bearer tok-abc',
        'bearer-xyz',
        'sig-1234',
      ]),
    );
    const shown = JSON.stringify(maskConfig(cfg));
    for (const s of secrets) expect(shown).not.toContain(s);
    expect(maskConfig(cfg).alerts.webhooks[0].url).toBe(`https://hooks.slack.com/${SECRET_MASK}`);
    // The original is untouched.
    expect(cfg.targets[0]).toEqual(http);
  });

  it('puts stored secrets back where the editor left the mask', () => {
    const shown = maskTarget(http);
    const r = restoreSecrets({ ...shown, name: 'Renamed' }, http);
    expect(r).toEqual({ target: { ...http, name: 'Renamed' } });
    // A secret the user replaced is taken as typed.
    const typed = restoreSecrets(
      { ...shown, headers: { ...shown.headers, Authorization: 'Bearer new' } },
      http,
    );
    expect('target' in typed && typed.target.kind === 'http' && typed.target.headers).toEqual({
      Authorization: 'Bearer new',
      'X-Trace': 'trace-on-1',
    });
  });

  it('never sends a kept secret to another server, and asks for it by field', () => {
    const shown = maskTarget(http);
    const moved = restoreSecrets(
      { ...shown, url: shown.url.replace('api.example.com', 'evil.test') },
      http,
    );
    expect('errors' in moved && moved.errors.map((e) => e.path).sort()).toEqual([
      'headers.Authorization',
      'headers.X-Trace',
      'url',
    ]);
    const fresh = restoreSecrets({ ...shown, id: 'new' }, undefined);
    expect('errors' in fresh && fresh.errors[0].message).toMatch(/none is saved/);
  });
});
