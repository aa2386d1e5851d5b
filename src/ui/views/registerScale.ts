import { registerOverlay } from './overlays.js';
import { scaleOverlay } from './ScaleDialog.js';

// Scale, restart and undo: the dialog over the list views (its keys are on the list views' descriptors).
registerOverlay(scaleOverlay);
