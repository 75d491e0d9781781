import { defineConfig } from "vite";

// The monitor serves the build from its own folder; in development Vite proxies the API to it.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      "/socket.io": { target: "http://127.0.0.1:5000", ws: true },
      "/api": "http://127.0.0.1:5000",
      "/health": "http://127.0.0.1:5000",
      "/status": "http://127.0.0.1:5000",
      "/agents": "http://127.0.0.1:5000",
    },
  },
});
