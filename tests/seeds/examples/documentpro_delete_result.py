import requests
api_key = 'YOUR_API_KEY'
request_id = 'YOUR_REQUEST_ID'
url = "https://api.documentpro.ai/files"
headers = { 'x-api-key': api_key}
params = { 'request_id': request_id}
response = requests.delete(url, headers=headers, params=params)
if response.status_code == 200:
    print('Result deleted successfully')
    print(response.json())
else:
    print('Failed to delete result')
    print(response.text)
