import { createFileRoute } from '@tanstack/react-router';

export const Route = createFileRoute('/')({ component: Home });

function Home() {
  return (
    <main>
      <h1>Gitflare</h1>
      <p>Git hosting on Cloudflare.</p>
    </main>
  );
}
