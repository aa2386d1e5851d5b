import { registerOverlay } from './overlays.js';
import { alertDetailOverlay, silenceOverlay } from './SilenceDialog.js';

// The silence dialogs and an alert's details, over the alerts and silences views (their keys are on those views' descriptors).
registerOverlay(silenceOverlay);
registerOverlay(alertDetailOverlay);
