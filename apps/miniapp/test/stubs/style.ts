// Stylesheets imported by components are nothing in tests.
export default {};
