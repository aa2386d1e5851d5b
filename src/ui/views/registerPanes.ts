import { podDetailPane } from './PodDetailPane.js';
import { execPickPane } from './ExecPickPane.js';
import { appShellRowAction, execRowAction, runRowAction } from './execRowAction.js';
import { registerOverlay } from './overlays.js';
import { runConfirmOverlay } from './RunConfirmDialog.js';
import { runResultsPane } from './RunResultsPane.js';
import { registerPane, registerRowAction } from './panes.js';
import { logsPane } from './LogsPane.js';
import { logsRowAction } from './logsRowAction.js';
import { metricsPane } from './MetricsPane.js';
import { metricsRowAction } from './metricsRowAction.js';

// Every non-list view of the console, by view kind.
registerPane('pod', podDetailPane);
registerPane('logs', logsPane);
registerRowAction(logsRowAction);
registerPane('metrics', metricsPane);
registerRowAction(metricsRowAction);
registerPane('exec-pick', execPickPane);
registerRowAction(execRowAction);
registerRowAction(appShellRowAction);
registerPane('run-results', runResultsPane);
// `:run` asks before it runs: the preview and its confirmation over the current view.
registerOverlay(runConfirmOverlay);
registerRowAction(runRowAction);
