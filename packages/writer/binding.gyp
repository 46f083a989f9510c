# The mmap binding: the C++ of @riaskov/mmap-io 1.4.3 (native/, MIT), built by node-gyp when
# no prebuilt binary fits (native/install.mjs). Headers come from `nan`, a dependency. The C++
# standard is left to Node's own common.gypi: Node 24's headers need C++20, Node 20's C++17.
{
  "targets": [{
    "target_name": "mmap_io",
    "sources": ["native/mmap-io.cc"],
    "include_dirs": ["<!(node -e \"require('nan')\")"],
    "conditions": [
      ['OS=="mac"', {
        "xcode_settings": {
          "OTHER_CPLUSPLUSFLAGS": ["-stdlib=libc++"],
          "OTHER_LDFLAGS": ["-stdlib=libc++"],
          "MACOSX_DEPLOYMENT_TARGET": "10.15"
        }
      }]
    ]
  }]
}
