export {
  analyzeWindow,
  checkRange,
  type AnalysisRange,
  type AnalysisSource,
  type AnalyzeOptions,
} from './analyze';
export { localDays, defaultTimeZone, type LocalDay } from './days';
export { StoreReader } from './store-reader';
export { planTiers, type TierChoice } from './plan';
