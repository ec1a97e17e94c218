import requests
response = requests.delete(
'<BASE_URL>/api/v1/users/me/files/<id>',
headers={
'cv-api-key': '<redacted>',
'Authorization': 'Bearer <accessToken>',
},
)
print(response.json())
