import type { SchemaChange } from '../changes/types';
import { applyUsage } from './apply-usage';
import type { CoordinateUsage } from './apply-usage';

const emailRemoved: SchemaChange = { criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'User.email', message: 'User.email removed', usageCoordinates: ['User.email'] };
const typeRemoved: SchemaChange = { criticality: 'BREAKING', type: 'TYPE_REMOVED', coordinate: 'Legacy', message: 'Legacy removed', usageCoordinates: ['Legacy.a', 'Legacy.b'] };
const rootChanged: SchemaChange = { criticality: 'BREAKING', type: 'SCHEMA_QUERY_TYPE_CHANGED', coordinate: 'Query', message: 'root changed' };
const added: SchemaChange = { criticality: 'SAFE', type: 'FIELD_ADDED', coordinate: 'User.name', message: 'added' };

function lookupFrom(data: Record<string, CoordinateUsage>) {
  const calls: string[][] = [];
  const lookup = async (coordinates: string[]) => {
    calls.push(coordinates);
    return new Map(Object.entries(data).filter(([k]) => coordinates.includes(k)));
  };
  return { lookup, calls };
}

describe('applyUsage', () => {
  it('marks an unused removal safe and says so with the window and numbers', async () => {
    const { lookup } = lookupFrom({});
    const [change] = await applyUsage([emailRemoved], lookup);
    expect(change).toMatchObject({ usage: { count: 0, clients: [], windowDays: 7 }, safeByUsage: true, criticality: 'BREAKING' });
    expect(change.message).toBe('User.email removed: 0 requests in the last 7 days -> safe');
  });

  it('keeps a used removal breaking and names the clients', async () => {
    const { lookup } = lookupFrom({ 'User.email': { count: 42, clients: ['web', 'ios'] } });
    const [change] = await applyUsage([emailRemoved], lookup, { windowDays: 30 });
    expect(change.safeByUsage).toBe(false);
    expect(change.message).toBe('User.email removed: 42 requests in the last 30 days from ios, web -> breaking');
  });

  it('sums every field of a removed type and respects the threshold', async () => {
    const { lookup } = lookupFrom({ 'Legacy.a': { count: 3, clients: ['web'] }, 'Legacy.b': { count: 2, clients: ['cli'] } });
    const [atLimit] = await applyUsage([typeRemoved], lookup, { threshold: 5 });
    expect(atLimit).toMatchObject({ usage: { count: 5, clients: ['cli', 'web'] }, safeByUsage: true });
    const [over] = await applyUsage([typeRemoved], lookup, { threshold: 4 });
    expect(over.safeByUsage).toBe(false);
    expect(over.message).toBe('Legacy removed: 5 requests in the last 7 days from cli, web (threshold 4) -> breaking');
  });

  it('subtracts excluded clients exactly with a breakdown, and wholly only when all are excluded without one', async () => {
    const exact = lookupFrom({ 'User.email': { count: 10, clients: ['web', 'ci'], byClient: { web: 1, ci: 9 } } });
    const [a] = await applyUsage([emailRemoved], exact.lookup, { excludedClients: ['ci'], threshold: 1 });
    expect(a).toMatchObject({ usage: { count: 1, clients: ['web'] }, safeByUsage: true });

    const allExcluded = lookupFrom({ 'User.email': { count: 10, clients: ['ci'] } });
    const [b] = await applyUsage([emailRemoved], allExcluded.lookup, { excludedClients: ['ci'] });
    expect(b.safeByUsage).toBe(true);

    const mixed = lookupFrom({ 'User.email': { count: 10, clients: ['ci', 'web'] } });
    const [c] = await applyUsage([emailRemoved], mixed.lookup, { excludedClients: ['ci'] });
    expect(c).toMatchObject({ usage: { count: 10, clients: ['web'] }, safeByUsage: false });
  });

  it('leaves changes usage cannot judge untouched and looks everything up in one call', async () => {
    const { lookup, calls } = lookupFrom({});
    const result = await applyUsage([rootChanged, added, emailRemoved, typeRemoved], lookup);
    expect(result[0]).toBe(rootChanged);
    expect(result[1]).toBe(added);
    expect(calls).toEqual([['User.email', 'Legacy.a', 'Legacy.b']]);
  });

  it('does not call the lookup when nothing is breaking', async () => {
    const { lookup, calls } = lookupFrom({});
    await applyUsage([added], lookup);
    expect(calls).toEqual([]);
  });
});
