import { createRootRoute, HeadContent, Outlet, Scripts } from '@tanstack/react-router';
import { type ReactNode, useEffect } from 'react';
import cssUrl from '../ui/styles.css?url';

export const Route = createRootRoute({
  head: () => ({
    meta: [
      { charSet: 'utf-8' },
      { name: 'viewport', content: 'width=device-width, initial-scale=1' },
      { title: 'Gitflare' },
    ],
    // In <head>, not in the page: React holds back a streamed part that holds a stylesheet until
    // a script reveals it, so a page linking its own would be blank without JavaScript.
    links: [{ rel: 'stylesheet', href: cssUrl }],
  }),
  component: RootComponent,
});

function RootComponent() {
  // Marks the page interactive once React has hydrated it (browser tests wait for it before using
  // forms that need JavaScript).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <RootDocument>
      <Outlet />
    </RootDocument>
  );
}

function RootDocument({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <html lang="en">
      <head>
        <HeadContent />
      </head>
      <body>
        {children}
        <Scripts />
      </body>
    </html>
  );
}
