const app = document.querySelector<HTMLDivElement>("#app")!;
app.innerHTML = "<h1>Mpm Monitor</h1><p>The dashboard is being built.</p>";
