/// The OpenAPI 3.0 description of the JSON API (`/api/openapi.json`), kept as a data file.
enum OpenAPI {
    static let document = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
