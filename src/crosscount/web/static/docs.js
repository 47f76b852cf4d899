// Swagger UI for /openapi.json, from the package's own copy; no validator badge (it
// would ask validator.swagger.io about the schema).
SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
