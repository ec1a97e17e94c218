curl -X DELETE '<BASE_URL>/api/v1/users/me/files/<id>' \
-H 'cv-api-key: <redacted>' \
-H 'Authorization: Bearer <accessToken>'
