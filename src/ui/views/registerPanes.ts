import { podDetailPane } from './PodDetailPane.js';
import { registerPane } from './panes.js';

// Every non-list view of the console, by view kind.
registerPane('pod', podDetailPane);
