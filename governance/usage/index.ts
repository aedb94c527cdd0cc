export { applyUsage } from './apply-usage';
export type { CoordinateUsage, UsageLookup, UsageOptions } from './apply-usage';
