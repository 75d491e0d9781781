import "./style.css";
import { App } from "./app";
import { adoptTokenFromUrl } from "./auth";

adoptTokenFromUrl();
new App(document.querySelector<HTMLElement>("#app")!).start();
