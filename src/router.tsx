import { createRouter } from '@tanstack/react-router';
import { routeTree } from './routeTree.gen';
import { PageError } from './ui/PageError';

export function getRouter() {
  return createRouter({
    routeTree,
    scrollRestoration: true,
    defaultPreload: 'intent',
    defaultErrorComponent: PageError,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof getRouter>;
  }
}
