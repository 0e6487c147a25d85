// Starts Swagger UI (served by this server from the fastapi-offline package) on the API's OpenAPI document.
// A file of our own rather than FastAPI's inline script, so the Content-Security-Policy allows no inline code.
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
