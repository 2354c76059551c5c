import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_NAMES, resolveEnvironment } from '../../infra/config';

describe('resolveEnvironment', () => {
  it('knows dev, staging and prod', () => {
    expect(ENVIRONMENT_NAMES).toEqual(['dev', 'staging', 'prod']);
    for (const name of ENVIRONMENT_NAMES) expect(resolveEnvironment(name).name).toBe(name);
  });

  it('rejects an unknown environment and lists the known ones', () => {
    expect(() => resolveEnvironment('qa')).toThrow(
      'Unknown environment "qa": pass -c env=<name>, one of: dev, staging, prod',
    );
  });

  it('rejects a missing environment and lists the known ones', () => {
    expect(() => resolveEnvironment(undefined)).toThrow(
      'No environment given: pass -c env=<name>, one of: dev, staging, prod',
    );
    expect(() => resolveEnvironment('')).toThrow(/one of: dev, staging, prod/);
  });

  it('keeps prod data and protects it; dev is disposable', () => {
    const dev = resolveEnvironment('dev');
    const prod = resolveEnvironment('prod');
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(prod.deletionProtection).toBe(true);
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(dev.deletionProtection).toBe(false);
  });

  it('takes operator values from context overrides', () => {
    const config = resolveEnvironment('prod', {
      alarmEmails: 'ops@example.com, oncall@example.com',
      alarmTopicArns: 'arn:aws:sns:eu-west-1:111111111111:pager',
      domainName: 'scim.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
      fullSyncScheduleEnabled: 'false',
    });
    expect(config.alarms.emails).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(config.alarms.topicArns).toEqual(['arn:aws:sns:eu-west-1:111111111111:pager']);
    expect(config.api.customDomain).toEqual({
      domainName: 'scim.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
    });
    expect(config.fullSync.scheduleEnabled).toBe(false);
  });

  it('paces the full sync to Mode only when told, and refuses a rate that is not a positive number', () => {
    expect(resolveEnvironment('prod').fullSync.modeRequestsPerSecond).toBeUndefined();
    expect(resolveEnvironment('prod', { modeRequestsPerSecond: '2' }).fullSync.modeRequestsPerSecond).toBe(2);
    expect(() => resolveEnvironment('prod', { modeRequestsPerSecond: '0' })).toThrow(/positive number/);
  });

  it("sizes the full-sync function's memory per environment, overridable within Lambda's range", () => {
    expect(resolveEnvironment('dev').fullSync.memoryMiB).toBe(1024);
    expect(resolveEnvironment('prod').fullSync.memoryMiB).toBe(3008);
    expect(resolveEnvironment('dev', { fullSyncMemoryMiB: '4096' }).fullSync.memoryMiB).toBe(4096);
    for (const bad of ['64', '10241', '1.5', 'lots']) {
      expect(() => resolveEnvironment('dev', { fullSyncMemoryMiB: bad })).toThrow(/128 to 10240/);
    }
  });

  it('refuses half a custom domain', () => {
    expect(() => resolveEnvironment('dev', { domainName: 'scim.example.com' })).toThrow(/both/);
  });
});
