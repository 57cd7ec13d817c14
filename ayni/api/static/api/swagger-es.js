/* Ayni: starts Swagger UI (ninja's bundle, served by Ayni) and shows its own labels in
 * Spanish. Swagger UI has no translations: its words are written into its components.
 * So a MutationObserver relabels, in the page only, every text node and every title,
 * aria-label or placeholder whose whole text (trimmed) is one of the known labels
 * below. Anything else (the API's own Spanish texts, the data) is never touched.
 * Limits: docs/decisions.md, «Issue 15: the API's docs page in Spanish». */
(function () {
  "use strict";

  var LABELS = {
    "Try it out": "Probar",
    "Cancel": "Cancelar",
    "Execute": "Ejecutar",
    "Clear": "Limpiar",
    "Reset": "Restablecer",
    "Authorize": "Autorizar",
    "Authorized": "Autorizado",
    "Available authorizations": "Autorizaciones disponibles",
    "Logout": "Cerrar sesión",
    "Close": "Cerrar",
    "Value:": "Valor:",
    "Value": "Valor",
    "Name:": "Nombre:",
    "Name": "Nombre",
    "In:": "En:",
    "Username:": "Usuario:",
    "Password:": "Contraseña:",
    "Scopes:": "Alcances:",
    "Flow:": "Flujo:",
    "Parameters": "Parámetros",
    "No parameters": "Sin parámetros",
    "Parameter content type": "Tipo de contenido del parámetro",
    "Request body": "Cuerpo de la solicitud",
    "Responses": "Respuestas",
    "Response content type": "Tipo de contenido de la respuesta",
    "Code": "Código",
    "Description": "Descripción",
    "Links": "Enlaces",
    "No links": "Sin enlaces",
    "Media type": "Tipo de contenido",
    "Controls": "Fija la cabecera",
    "header.": "",
    "Example Value": "Ejemplo",
    "Edit Value": "Editar el valor",
    "Example Description": "Descripción del ejemplo",
    "Examples:": "Ejemplos:",
    "Examples": "Ejemplos",
    "Example": "Ejemplo",
    "Schema": "Esquema",
    "Schemas": "Esquemas",
    "Model": "Modelo",
    "Server response": "Respuesta del servidor",
    "Details": "Detalle",
    "Response body": "Cuerpo de la respuesta",
    "Response headers": "Cabeceras de la respuesta",
    "Request URL": "Dirección de la solicitud",
    "Request duration": "Duración de la solicitud",
    "Curl": "curl",
    "Download": "Descargar",
    "Download file": "Descargar el archivo",
    "Undocumented": "No documentada",
    "Send empty value": "Enviar vacío",
    "Available values": "Valores posibles",
    "Default value": "Valor por omisión",
    "required": "obligatorio",
    "query": "consulta",
    "path": "ruta",
    "header": "cabecera",
    "cookie": "cookie",
    "Errors": "Errores",
    "Hide": "Ocultar",
    "Show": "Mostrar",
    "Expand all": "Expandir todo",
    "Collapse all": "Contraer todo",
    "Expand operation": "Abrir la operación",
    "Collapse operation": "Cerrar la operación",
    "Copy to clipboard": "Copiar",
    "authorization button locked": "autorizado: cambiar la autorización",
    "authorization button unlocked": "autorizar",
    "Filter by tag": "Filtrar por grupo",
    "Servers": "Servidores",
    "Callbacks": "Llamadas de vuelta",
    "No callbacks": "Sin llamadas de vuelta",
    "Deprecated:": "Obsoleto:",
    "Enum:": "Valores:",
    "Items": "Elementos",
    "Warning": "Aviso",
    "Terms of service": "Condiciones de uso",
    "External documentation": "Documentación externa",
    "Required field is not provided": "Falta este dato obligatorio",
    "Please correct the following validation errors and try again.":
      "Corrija estos datos y vuelva a intentarlo.",
    "Failed to fetch.": "No se pudo conectar con Ayni.",
    "Failed to fetch": "No se pudo conectar con Ayni",
    "Failed to load API definition.": "No se pudo cargar la definición de la API.",
    "No API definition provided.": "No se indicó la definición de la API.",
    "Unable to render this definition": "No se puede mostrar esta definición",
    "Loading...": "Cargando…",
    "OK": "Correcto",
    "Apply credentials": "Aplicar las credenciales",
    "auth-bearer-value": "token de acceso",
    "Media Type": "Tipo de contenido",
    "(apiKey)": "(clave API)"
  };
  // The HTTP reason phrases that Swagger UI shows after «Error: » in a live answer.
  var REASONS = {
    "Bad Request": "Solicitud incorrecta",
    "Unauthorized": "Falta autenticarse",
    "Forbidden": "Acceso denegado",
    "Not Found": "No encontrado",
    "Method Not Allowed": "Método no permitido",
    "Conflict": "Conflicto con el estado actual",
    "Payload Too Large": "Archivo demasiado grande",
    "Content Too Large": "Archivo demasiado grande",
    "Unprocessable Entity": "Datos no válidos",
    "Unprocessable Content": "Datos no válidos",
    "Too Many Requests": "Demasiadas solicitudes",
    "Internal Server Error": "Error interno",
    "Service Unavailable": "Servicio no disponible"
  };
  Object.keys(REASONS).forEach(function (reason) {
    LABELS[reason] = REASONS[reason];
    LABELS["Error: " + reason] = "Error: " + REASONS[reason];
  });
  var ATTRIBUTES = ["title", "aria-label", "placeholder"];

  function relabelText(node) {
    var text = node.nodeValue;
    if (!text || text.length > 80) return;
    var key = text.trim();
    if (!Object.prototype.hasOwnProperty.call(LABELS, key)) return;
    var lead = text.match(/^\s*/)[0];
    var tail = text.match(/\s*$/)[0];
    var wanted = LABELS[key] === "" ? "" : lead + LABELS[key] + tail;
    if (text !== wanted) node.nodeValue = wanted;
  }

  function relabelElement(el) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = el.getAttribute(ATTRIBUTES[i]);
      if (value && Object.prototype.hasOwnProperty.call(LABELS, value.trim())) {
        el.setAttribute(ATTRIBUTES[i], LABELS[value.trim()]);
      }
    }
  }

  function relabel(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      relabelText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    var tag = root.tagName;
    // Never the data: code samples, typed values, the server's answer.
    if (tag === "TEXTAREA" || tag === "PRE" || tag === "CODE" || tag === "SCRIPT") return;
    relabelElement(root);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL, {
      acceptNode: function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          var t = node.tagName;
          if (t === "TEXTAREA" || t === "PRE" || t === "CODE" || t === "SCRIPT") {
            return NodeFilter.FILTER_REJECT;
          }
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var node = walker.nextNode();
    while (node) {
      if (node.nodeType === Node.TEXT_NODE) relabelText(node);
      else relabelElement(node);
      node = walker.nextNode();
    }
  }

  function inData(node) {
    var el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return !!(el && el.closest("textarea, pre, code"));
  }

  var target = document.getElementById("swagger-ui");
  new MutationObserver(function (mutations) {
    for (var i = 0; i < mutations.length; i++) {
      var m = mutations[i];
      if (inData(m.target)) continue;
      if (m.type === "childList") {
        for (var j = 0; j < m.addedNodes.length; j++) relabel(m.addedNodes[j]);
      } else if (m.type === "characterData") {
        relabelText(m.target);
      } else if (m.type === "attributes") {
        relabelElement(m.target);
      }
    }
  }).observe(target, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES
  });

  // As ninja's own swagger-ui-init.js: settings from the page, CSRF on session writes.
  var data = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (data.apiCsrf && data.csrfToken) {
    config.requestInterceptor = function (req) {
      req.headers["X-CSRFToken"] = data.csrfToken;
      return req;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
