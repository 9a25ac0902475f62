// Setup of every end-to-end test file: each fetch on a connection of its own (see the module).
import { freshConnectionsForFetch } from '../../scripts/lib/fresh-connections.mjs';

freshConnectionsForFetch();
