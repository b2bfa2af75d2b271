# Wrong hashes made by real Ruby code (OpenSSL::HMAC): String#downcase, #strip,
# Hash#to_json, Base64.encode64. Prints a JSON array of doctor cases;
# tests/doctor/generate.py merges them into cases.json.
require "base64"
require "json"
require "openssl"

SECRET = "sk_doctor_3f9a1c7e"
CASES = []

def mac_hex(msg) = OpenSSL::HMAC.hexdigest("SHA256", SECRET, msg)

def add(id, variant, made_by, preset, input, hash)
  CASES << { id: "ruby/#{id}", variant: variant, made_by: made_by, preset: preset, secret: SECRET, input: input, hash: hash }
end

# downcase has no final-sigma rule (JS writes ς at the end of a word).
SIGMA = "ΟΔΟΣ@Example.COM"
%w[layerup ensoras helpscout].each do |preset|
  add("downcase/#{preset}", "ruby_downcase", "Ruby OpenSSL::HMAC.hexdigest('SHA256', secret, email.downcase)",
      preset, { email: SIGMA }, mac_hex(SIGMA.downcase))
end
# strip removes \f (PHP trim does not) and stops at U+00A0 (JS trim does not).
STRIP = "\f Alice@Example.COM \u00A0"
%w[layerup supportwire].each do |preset|
  add("strip/#{preset}", "ruby_strip", "Ruby email.strip", preset, { email: STRIP }, mac_hex(STRIP.strip))
end
STRIP_UP = "\f ALICE@Example.COM \u00A0"
%w[supportwire ensoras].each do |preset|
  add("strip_downcase/#{preset}", "ruby_strip_downcase", "Ruby email.strip.downcase", preset, { email: STRIP_UP },
      mac_hex(STRIP_UP.strip.downcase))
end

# fluentbot signs JSON.stringify({name, email, data}); Float#to_s writes 1.5e-07.
VISITOR = '{"name":"Zoë Martin","email":"zoe@example.com",' \
          '"data":{"plan":"pro","seats":3,"home":"https://example.com/zoe","ratio":1.5e-7}}'
v = JSON.parse(VISITOR)
payload = { "name" => v["name"], "email" => v["email"], "data" => v["data"] }
add("to_json/fluentbot", "ruby_to_json", "Ruby {name:, email:, data:}.to_json", "fluentbot", { visitor: v },
    mac_hex(payload.to_json))

# Base64.encode64 (with its trailing newline) of the digest instead of hex.
add("base64/layerup", "base64", "Ruby Base64.encode64(OpenSSL::HMAC.digest('SHA256', secret, email))", "layerup",
    { email: "alice@example.com" }, Base64.encode64(OpenSSL::HMAC.digest("SHA256", SECRET, "alice@example.com")))
add("uppercase_hex/inviaro", "uppercase_hex", "Ruby OpenSSL::HMAC.hexdigest(...).upcase", "inviaro",
    { user_id: "usr_42" }, mac_hex("usr_42").upcase)

$stdout.write(JSON.generate(CASES))
