import requests

response = requests.delete(
'https://api.scriptix.io/api/v3/speech-to-text/session/sess_abc123/document/doc_xyz789',
headers={'Authorization': 'Bearer YOUR_API_KEY'}
)

if response.status_code in [200, 204]:
    print("Document deleted successfully")
