/** The repository-wide settings file (`safe-pods.config.json`): finding, reading and validating it. */
export type { ConfigProblem, ConfigRuleSeverity, ConfigSeverity, ConfigWarningMode, RuleOverride, SafePodsConfig } from './config';
export { CONFIG_FILE_NAME, ConfigError, didYouMean, parseConfig, SUPPORTED_KUBERNETES_VERSIONS, validateConfig } from './config';
export type { LoadConfigOptions } from './load';
export { EMPTY_CONFIG, findConfigFile, loadConfig } from './load';
