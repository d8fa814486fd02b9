export { widgetManager } from './operator.js';
export { WidgetReconciler } from './reconciler.js';
export { DEFAULT_TIER, MAX_REPLICAS, Widget } from './resource.js';
export { installWebhooks, type PatchWithWarnings, widgetScenario } from './scenario.js';
export { widgetWebhook } from './webhook.js';
