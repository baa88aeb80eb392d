import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError } from '../config.js';

describe('stream settings', () => {
  it('defaults: self-serve tier, 1,000 rules, 20 s keep-alive, 4 MiB buffer, one connection', () => {
    const c = buildConfig({});
    expect([c.tier, c.streamMaxRules, c.streamKeepaliveMs, c.streamBufferBytes, c.streamConnections]).toEqual([
      'self_serve', 1000, 20_000, 4 * 1024 * 1024, 1,
    ]);
  });
  it('enterprise raises the rule cap and the connection count; explicit values win', () => {
    const e = buildConfig({ ROOST_TIER: 'enterprise' });
    expect([e.tier, e.streamMaxRules, e.streamConnections]).toEqual(['enterprise', 25_000, 2]);
    const o = buildConfig({ ROOST_TIER: 'Enterprise', ROOST_STREAM_MAX_RULES: '30000', ROOST_STREAM_KEEPALIVE_MS: '250', ROOST_STREAM_CONNECTIONS: '3' });
    expect([o.streamMaxRules, o.streamKeepaliveMs, o.streamConnections]).toEqual([30_000, 250, 3]);
  });
  it('bad values are refused', () => {
    expect(() => buildConfig({ ROOST_TIER: 'pro' })).toThrow(ConfigError);
    expect(() => buildConfig({ ROOST_STREAM_MAX_RULES: '0' })).toThrow(ConfigError);
    expect(() => buildConfig({ ROOST_STREAM_KEEPALIVE_MS: 'soon' })).toThrow(ConfigError);
    expect(() => buildConfig({ ROOST_STREAM_BUFFER_BYTES: '-1' })).toThrow(ConfigError);
  });
  it('scale-out: ROOST_REDIS_URL must be a redis URL; the slot lease defaults to 20 s', () => {
    expect([buildConfig({}).redisUrl, buildConfig({}).streamSlotLeaseMs]).toEqual([null, 20_000]);
    const r = buildConfig({ ROOST_REDIS_URL: 'redis://127.0.0.1:6379', ROOST_STREAM_SLOT_LEASE_MS: '1500' });
    expect([r.redisUrl, r.streamSlotLeaseMs]).toEqual(['redis://127.0.0.1:6379', 1500]);
    expect(() => buildConfig({ ROOST_REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
    expect(() => buildConfig({ ROOST_STREAM_SLOT_LEASE_MS: '0' })).toThrow(ConfigError);
  });
});
