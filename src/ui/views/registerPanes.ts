import { podDetailPane } from './PodDetailPane.js';
import { execPickPane } from './ExecPickPane.js';
import { registerOverlay } from './overlays.js';
import { pickerOverlay } from './PickerDialog.js';
import { runConfirmOverlay } from './RunConfirmDialog.js';
import { runResultsPane } from './RunResultsPane.js';
import { registerPane } from './panes.js';
import { logsPane } from './LogsPane.js';
import { metricsPane } from './MetricsPane.js';
import { historyPane } from './HistoryPane.js';
import { feedPane } from './FeedPane.js';
import { describePane, yamlPane } from './ObjectPane.js';
import { aliasesPane } from './AliasesPane.js';
import { portForwardsPane } from './PortForwardsPane.js';
import { portForwardOverlay } from './PortForwardDialog.js';
import { nodeActionOverlay } from './NodeActionDialog.js';
import { deleteOverlay } from './DeleteDialog.js';
import { editOverlay } from './EditDialog.js';
import { timelinePane } from './TimelinePane.js';
import { driftPane } from './DriftPane.js';

// Every non-list view of the console, by view kind.
registerPane('pod', podDetailPane);
registerPane('logs', logsPane);
registerPane('metrics', metricsPane);
registerPane('exec-pick', execPickPane);
registerPane('run-results', runResultsPane);
registerPane('history', historyPane);
registerPane('feed', feedPane);
registerPane('yaml', yamlPane);
registerPane('describe', describePane);
registerPane('aliases', aliasesPane);
registerPane('port-forwards', portForwardsPane);
registerPane('timeline', timelinePane);
registerPane('drift', driftPane);
// `:run` asks before it runs: the preview and its confirmation over the current view.
registerOverlay(runConfirmOverlay);
// `:ctx` and `:ns` with no name: a pick list over the current view.
registerOverlay(pickerOverlay);
// Shift-F's port picker, and the cordon / drain preview and progress of the Nodes view.
registerOverlay(portForwardOverlay);
registerOverlay(nodeActionOverlay);
// Ctrl-D / Ctrl-K on rows: the preview, confirmation and progress over the current view.
registerOverlay(deleteOverlay);
// e on rows: the server's dry-run of the edit made in $EDITOR.
registerOverlay(editOverlay);
