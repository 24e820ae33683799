// /docs: Swagger UI on the server's own OpenAPI schema, from the vendored bundle (no CDN, no
// inline script; the online validator badge is off because workshops have no internet).
/* global SwaggerUIBundle */
SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });
