import { registerOverlay } from './overlays.js';
import { registerRowAction } from './panes.js';
import { scaleOverlay } from './ScaleDialog.js';
import { restartRowAction, scaleReplicaSetRowAction, scaleRowAction, scaleShownRowAction, undoRowAction } from './scaleRowActions.js';

// Scale, restart and undo: the dialog over the list views and the keys that open it.
registerOverlay(scaleOverlay);
registerRowAction(scaleRowAction);
registerRowAction(scaleReplicaSetRowAction);
registerRowAction(scaleShownRowAction);
registerRowAction(restartRowAction);
registerRowAction(undoRowAction);
