/** Makes every later fetch of this process use a connection of its own (see the module). */
export function freshConnectionsForFetch(): void;
