import { MinLength } from 'class-validator';
import { ConfigurationError, loadEnv } from './load-env';
import { ServiceEnv } from './service-env';

type Env = Record<string, string | undefined>;

/** The least a service on the default transport (Kafka) and store (PostgreSQL) must be given. */
const BASE: Env = { KAFKA_BROKERS: 'localhost:9092', DATABASE_URL: 'postgres://oms:oms@localhost:5432/oms' };

function configurationError(env: Env, schema: new () => ServiceEnv = ServiceEnv): ConfigurationError {
  try {
    loadEnv(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(env)}`);
}

/** The variable each problem line names (`NAME: message (given)`). */
const named = (error: ConfigurationError): string[] => error.problems.map((p) => p.slice(0, p.indexOf(':')));

/** The one problem line about `name`. */
function problemFor(error: ConfigurationError, name: string): string {
  const lines = error.problems.filter((p) => p.startsWith(`${name}: `));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('loadEnv', () => {
  describe('defaults', () => {
    it('applies the documented defaults when only the required variables are set', () => {
      const env = loadEnv(ServiceEnv, BASE);
      expect(env).toBeInstanceOf(ServiceEnv);
      expect(env).toMatchObject({
        HTTP_HOST: '0.0.0.0',
        MESSAGING_TRANSPORT: 'kafka',
        KAFKA_BROKERS: 'localhost:9092',
        KAFKA_SSL: false,
        KAFKA_REPLICATION_FACTOR: 1,
        KAFKA_MIN_INSYNC_REPLICAS: 1,
        CONSUMER_MAX_ATTEMPTS: 4,
        CONSUMER_BACKOFF_MS: 200,
        EVENT_STORE: 'postgres',
        DATABASE_URL: 'postgres://oms:oms@localhost:5432/oms',
        EVENT_STORE_POOL_SIZE: 10,
        DATA_DIR: 'data',
        LOG_LEVEL: 'log',
      });
      expect(env.HTTP_PORT).toBeUndefined();
      expect(env.KAFKA_PARTITIONS).toBeUndefined();
      expect(env.KAFKA_SASL_MECHANISM).toBeUndefined();
      expect(env.EVENT_STORE_SCHEMA).toBeUndefined();
      expect(env.EVENTSTORE_URL).toBeUndefined();
    });

    it('lets given values override the defaults', () => {
      const env = loadEnv(ServiceEnv, {
        ...BASE,
        HTTP_HOST: '127.0.0.1',
        DATA_DIR: '/var/lib/oms',
        LOG_LEVEL: 'debug',
        EVENT_STORE_SCHEMA: 'order_intake',
        KAFKA_CLIENT_ID: 'oi-1',
        KAFKA_GROUP_ID: 'order-intake',
      });
      expect(env).toMatchObject({
        HTTP_HOST: '127.0.0.1',
        DATA_DIR: '/var/lib/oms',
        LOG_LEVEL: 'debug',
        EVENT_STORE_SCHEMA: 'order_intake',
        KAFKA_CLIENT_ID: 'oi-1',
        KAFKA_GROUP_ID: 'order-intake',
      });
    });
  });

  describe('conversion from strings', () => {
    it('turns integer variables into numbers', () => {
      const env = loadEnv(ServiceEnv, {
        ...BASE,
        HTTP_PORT: '3005',
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_PARTITIONS: '6',
        CONSUMER_MAX_ATTEMPTS: '10',
        CONSUMER_BACKOFF_MS: '0',
        EVENT_STORE_POOL_SIZE: '25',
      });
      expect(env.HTTP_PORT).toBe(3005);
      expect(env.KAFKA_REPLICATION_FACTOR).toBe(3);
      expect(env.KAFKA_MIN_INSYNC_REPLICAS).toBe(2);
      expect(env.KAFKA_PARTITIONS).toBe(6);
      expect(env.CONSUMER_MAX_ATTEMPTS).toBe(10);
      expect(env.CONSUMER_BACKOFF_MS).toBe(0);
      expect(env.EVENT_STORE_POOL_SIZE).toBe(25);
    });

    it('accepts port 0 (any free port) and tolerates surrounding blanks', () => {
      expect(loadEnv(ServiceEnv, { ...BASE, HTTP_PORT: '0' }).HTTP_PORT).toBe(0);
      expect(loadEnv(ServiceEnv, { ...BASE, HTTP_PORT: ' 3005 ' }).HTTP_PORT).toBe(3005);
    });

    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      [' Yes ', true],
      ['false', false],
      ['False', false],
      ['0', false],
      ['no', false],
    ])('turns KAFKA_SSL=%j into %j', (given, expected) => {
      expect(loadEnv(ServiceEnv, { ...BASE, KAFKA_SSL: given }).KAFKA_SSL).toBe(expected);
    });

    it('rejects a KAFKA_SSL that is not a boolean word, showing what was given', () => {
      const error = configurationError({ ...BASE, KAFKA_SSL: 'maybe' });
      expect(error.problems).toEqual(['KAFKA_SSL: must be true or false (got "maybe")']);
    });

    it.each([
      ['HTTP_PORT', '70000'],
      ['HTTP_PORT', '-1'],
      ['HTTP_PORT', 'abc'],
      ['HTTP_PORT', '30.5'],
      ['KAFKA_REPLICATION_FACTOR', '0'],
      ['KAFKA_REPLICATION_FACTOR', 'three'],
      ['KAFKA_MIN_INSYNC_REPLICAS', '0'],
      ['KAFKA_PARTITIONS', '0'],
      ['CONSUMER_MAX_ATTEMPTS', '101'],
      ['CONSUMER_BACKOFF_MS', '-5'],
      ['EVENT_STORE_POOL_SIZE', '1.5'],
      ['EVENT_STORE_POOL_SIZE', '201'],
    ])('rejects %s=%j with exactly one problem naming it and the value', (name, value) => {
      const error = configurationError({ ...BASE, [name]: value });
      expect(named(error)).toEqual([name]);
      expect(problemFor(error, name)).toContain(`(got "${value}")`);
    });
  });

  describe('conditional requirements', () => {
    it('requires KAFKA_BROKERS with the kafka transport (the default)', () => {
      const error = configurationError({ DATABASE_URL: BASE['DATABASE_URL'] });
      expect(error.problems).toEqual([
        'KAFKA_BROKERS: is required when MESSAGING_TRANSPORT=kafka (comma-separated host:port list) (not set)',
      ]);
      expect(named(configurationError({ DATABASE_URL: BASE['DATABASE_URL'], MESSAGING_TRANSPORT: 'kafka' }))).toEqual([
        'KAFKA_BROKERS',
      ]);
    });

    it('does not require KAFKA_BROKERS with the in-process transport', () => {
      const env = loadEnv(ServiceEnv, { DATABASE_URL: BASE['DATABASE_URL'], MESSAGING_TRANSPORT: 'in-process' });
      expect(env.MESSAGING_TRANSPORT).toBe('in-process');
      expect(env.KAFKA_BROKERS).toBeUndefined();
    });

    it('accepts a comma-separated host:port list and rejects anything else', () => {
      expect(loadEnv(ServiceEnv, { ...BASE, KAFKA_BROKERS: 'k1:9092,k2.internal:9093,10.0.0.3:9094' }).KAFKA_BROKERS).toBe(
        'k1:9092,k2.internal:9093,10.0.0.3:9094',
      );
      for (const bad of ['localhost', 'k1:9092, k2:9092', 'k1:9092,', 'k1:port', 'kafka://k1:9092']) {
        const error = configurationError({ ...BASE, KAFKA_BROKERS: bad });
        expect(error.problems).toEqual([`KAFKA_BROKERS: must be host:port[,host:port…] (got "${bad}")`]);
      }
    });

    it('requires DATABASE_URL only with the postgres store', () => {
      expect(configurationError({ KAFKA_BROKERS: 'k:9092' }).problems).toEqual([
        'DATABASE_URL: is required when EVENT_STORE=postgres (not set)',
      ]);
      expect(named(configurationError({ KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'postgres' }))).toEqual(['DATABASE_URL']);
      expect(loadEnv(ServiceEnv, { KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'embedded' }).DATABASE_URL).toBeUndefined();
      expect(
        loadEnv(ServiceEnv, { KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'esdb://localhost:2113' })
          .DATABASE_URL,
      ).toBeUndefined();
    });

    it('accepts postgres:// and postgresql:// connection strings only', () => {
      for (const url of ['postgres://u:p@h:5432/db', 'postgresql://h/db?sslmode=require']) {
        expect(loadEnv(ServiceEnv, { ...BASE, DATABASE_URL: url }).DATABASE_URL).toBe(url);
      }
      expect(named(configurationError({ ...BASE, DATABASE_URL: 'localhost:5432/db' }))).toEqual(['DATABASE_URL']);
    });

    it('requires EVENTSTORE_URL only with the kurrentdb store', () => {
      expect(configurationError({ KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'kurrentdb' }).problems).toEqual([
        'EVENTSTORE_URL: is required when EVENT_STORE=kurrentdb (not set)',
      ]);
      expect(loadEnv(ServiceEnv, BASE).EVENTSTORE_URL).toBeUndefined();
      expect(loadEnv(ServiceEnv, { KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'embedded' }).EVENTSTORE_URL).toBeUndefined();
    });

    it('accepts kurrentdb://, esdb:// and kdb:// (with +discover) and rejects other schemes', () => {
      const kurrent = { KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'kurrentdb' };
      for (const url of ['kurrentdb://localhost:2113?tls=false', 'esdb://h:2113', 'esdb+discover://cluster:2113', 'kdb://h:2113']) {
        expect(loadEnv(ServiceEnv, { ...kurrent, EVENTSTORE_URL: url }).EVENTSTORE_URL).toBe(url);
      }
      expect(configurationError({ ...kurrent, EVENTSTORE_URL: 'tcp://h:1113' }).problems).toEqual([
        'EVENTSTORE_URL: must be a kurrentdb:// (or esdb://) connection string (got "tcp://h:1113")',
      ]);
    });

    it('requires neither SASL username nor password while no mechanism is set', () => {
      const env = loadEnv(ServiceEnv, BASE);
      expect(env.KAFKA_SASL_USERNAME).toBeUndefined();
      expect(env.KAFKA_SASL_PASSWORD).toBeUndefined();
    });

    it('requires both SASL username and password once a mechanism is set', () => {
      const error = configurationError({ ...BASE, KAFKA_SASL_MECHANISM: 'scram-sha-512' });
      expect(error.problems).toEqual([
        'KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is set (not set)',
        'KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_MECHANISM is set (not set)',
      ]);
      expect(named(configurationError({ ...BASE, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'oms' }))).toEqual([
        'KAFKA_SASL_PASSWORD',
      ]);
      expect(named(configurationError({ ...BASE, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'pw' }))).toEqual([
        'KAFKA_SASL_USERNAME',
      ]);
    });

    it('accepts a complete SASL setting', () => {
      const env = loadEnv(ServiceEnv, {
        ...BASE,
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'oms',
        KAFKA_SASL_PASSWORD: 's3cr3t',
      });
      expect(env).toMatchObject({
        KAFKA_SSL: true,
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'oms',
        KAFKA_SASL_PASSWORD: 's3cr3t',
      });
    });
  });

  describe('enumerations', () => {
    it('names a bad EVENT_STORE with the allowed values, and then demands no store URL', () => {
      const error = configurationError({ KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'mongo' });
      expect(named(error)).toEqual(['EVENT_STORE']);
      const line = problemFor(error, 'EVENT_STORE');
      expect(line).toContain('postgres, embedded, kurrentdb');
      expect(line).toContain('(got "mongo")');
    });

    it.each([
      ['MESSAGING_TRANSPORT', 'rabbitmq', 'kafka, in-process'],
      ['KAFKA_SASL_MECHANISM', 'gssapi', 'plain, scram-sha-256, scram-sha-512'],
      ['LOG_LEVEL', 'trace', 'error, warn, log, debug, verbose'],
      ['EVENT_STORE', 'Postgres', 'postgres, embedded, kurrentdb'],
    ])('names a bad %s=%j with the allowed values', (name, value, allowed) => {
      const error = configurationError({ ...BASE, [name]: value, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
      expect(named(error)).toEqual([name]);
      const line = problemFor(error, name);
      expect(line).toContain(allowed);
      expect(line).toContain(`(got "${value}")`);
    });

    it('rejects a schema name that is not a lower-case SQL identifier', () => {
      for (const bad of ['Order', '1orders', 'order-intake', 'a'.repeat(64)]) {
        expect(named(configurationError({ ...BASE, EVENT_STORE_SCHEMA: bad }))).toEqual(['EVENT_STORE_SCHEMA']);
      }
      expect(loadEnv(ServiceEnv, { ...BASE, EVENT_STORE_SCHEMA: '_a1' + 'b'.repeat(60) }).EVENT_STORE_SCHEMA).toHaveLength(63);
    });
  });

  describe('empty strings', () => {
    it('treats empty variables as unset: defaults apply and nothing is "invalid"', () => {
      const env = loadEnv(ServiceEnv, {
        ...BASE,
        HTTP_PORT: '',
        HTTP_HOST: '',
        MESSAGING_TRANSPORT: '',
        KAFKA_SSL: '',
        KAFKA_REPLICATION_FACTOR: '',
        KAFKA_PARTITIONS: '',
        EVENT_STORE: '',
        EVENT_STORE_SCHEMA: '',
        LOG_LEVEL: '',
        KAFKA_SASL_MECHANISM: '',
        UNRELATED: undefined,
      });
      expect(env).toMatchObject({
        HTTP_HOST: '0.0.0.0',
        MESSAGING_TRANSPORT: 'kafka',
        KAFKA_SSL: false,
        KAFKA_REPLICATION_FACTOR: 1,
        EVENT_STORE: 'postgres',
        LOG_LEVEL: 'log',
      });
      expect(env.HTTP_PORT).toBeUndefined();
      expect(env.KAFKA_PARTITIONS).toBeUndefined();
      expect(env.EVENT_STORE_SCHEMA).toBeUndefined();
      expect(env.KAFKA_SASL_MECHANISM).toBeUndefined();
    });

    it('reports an empty required variable as not set', () => {
      const error = configurationError({ KAFKA_BROKERS: '', DATABASE_URL: '' });
      expect(error.problems).toEqual([
        'KAFKA_BROKERS: is required when MESSAGING_TRANSPORT=kafka (comma-separated host:port list) (not set)',
        'DATABASE_URL: is required when EVENT_STORE=postgres (not set)',
      ]);
      expect(named(configurationError({ ...BASE, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' }))).toEqual([
        'KAFKA_SASL_USERNAME',
        'KAFKA_SASL_PASSWORD',
      ]);
    });
  });

  describe('one error for everything', () => {
    const bad: Env = {
      HTTP_PORT: 'abc',
      MESSAGING_TRANSPORT: 'kafka',
      KAFKA_SSL: 'maybe',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_REPLICATION_FACTOR: '0',
      CONSUMER_MAX_ATTEMPTS: '500',
      EVENT_STORE: 'postgres',
      DATABASE_URL: 'mysql://u:secret@h/db',
      EVENT_STORE_SCHEMA: 'Bad-Schema',
      LOG_LEVEL: 'loud',
    };
    const expected = [
      'HTTP_PORT',
      'KAFKA_BROKERS',
      'KAFKA_SSL',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_REPLICATION_FACTOR',
      'CONSUMER_MAX_ATTEMPTS',
      'DATABASE_URL',
      'EVENT_STORE_SCHEMA',
      'LOG_LEVEL',
    ];

    it('names every bad or missing variable, each exactly once', () => {
      const error = configurationError(bad);
      expect([...named(error)].sort()).toEqual([...expected].sort());
      expect(new Set(named(error)).size).toBe(error.problems.length);
    });

    it('is a ConfigurationError whose message lists every problem line', () => {
      const error = configurationError(bad);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ConfigurationError');
      expect(error.message).toBe(`Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      for (const name of expected) expect(error.message).toContain(`  - ${name}: `);
    });

    it('gives one message even for a value that breaks several constraints at once', () => {
      // 'abc' is neither an integer nor >= 0 nor <= 65535; a missing KAFKA_BROKERS is both empty and unmatched.
      const error = configurationError({ DATABASE_URL: BASE['DATABASE_URL'], HTTP_PORT: 'abc' });
      expect(named(error)).toEqual(['HTTP_PORT', 'KAFKA_BROKERS']);
    });

    it('does not complain about variables it does not know', () => {
      expect(() => loadEnv(ServiceEnv, { ...BASE, PATH: '/usr/bin', HOME: '/root', npm_config_cache: '' })).not.toThrow();
    });
  });

  describe('secrets never reach the message', () => {
    it('masks the password of a connection string that is rejected', () => {
      const error = configurationError({ ...BASE, DATABASE_URL: 'mysql://u:secret@h/db' });
      expect(error.problems).toEqual(['DATABASE_URL: must be a postgres:// connection string (got "mysql://u:***@h/db")']);
      expect(error.message).not.toContain('secret');
      expect(JSON.stringify(error.problems)).not.toContain('secret');
    });

    it('masks the password of a rejected EVENTSTORE_URL', () => {
      const error = configurationError({
        KAFKA_BROKERS: 'k:9092',
        EVENT_STORE: 'kurrentdb',
        EVENTSTORE_URL: 'https://admin:changeit@db.internal:2113',
      });
      expect(problemFor(error, 'EVENTSTORE_URL')).toContain('(got "https://admin:***@db.internal:2113")');
      expect(error.message).not.toContain('changeit');
    });

    it('never shows the KAFKA_SASL_PASSWORD value, even when everything around it is wrong', () => {
      const error = configurationError({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_PASSWORD: 'hunter2-very-secret',
        DATABASE_URL: 'mysql://oms:hunter2-very-secret@h/db',
      });
      expect(named(error)).toEqual(['KAFKA_BROKERS', 'KAFKA_SASL_USERNAME', 'DATABASE_URL']);
      expect(error.message).not.toContain('hunter2');
    });

    class SecretEnv extends ServiceEnv {
      @MinLength(12, { message: 'must be at least 12 characters' })
      override KAFKA_SASL_PASSWORD?: string = undefined;

      @MinLength(32, { message: 'must be at least 32 characters' })
      API_TOKEN?: string;

      @MinLength(32, { message: 'must be at least 32 characters' })
      WEBHOOK_SECRET?: string;

      @MinLength(32, { message: 'must be at least 32 characters' })
      signing_key?: string;
    }

    it('masks the whole value of a rejected variable whose name says PASSWORD, SECRET, TOKEN or KEY', () => {
      const error = configurationError(
        {
          ...BASE,
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'oms',
          KAFKA_SASL_PASSWORD: 'hunter2',
          API_TOKEN: 'tok-abc',
          WEBHOOK_SECRET: 'whsec-abc',
          signing_key: 'k-abc',
        },
        SecretEnv,
      );
      expect([...named(error)].sort()).toEqual(['API_TOKEN', 'KAFKA_SASL_PASSWORD', 'WEBHOOK_SECRET', 'signing_key']);
      for (const line of error.problems) expect(line).toMatch(/\(got "\*\*\*"\)$/);
      for (const value of ['hunter2', 'tok-abc', 'whsec-abc', 'k-abc']) expect(error.message).not.toContain(value);
    });
  });
});
